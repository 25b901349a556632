import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "watch"],
  "Watch the governed stack until stopped: every event of its contracts matched with the proposals (what none explains is critical), pending timelock operations, the Safes, the code, the Transaction Service queue, the RPC endpoints and the failure rate. Alerts on the terminal, as JSON lines, to a file and to webhooks; Prometheus metrics; the guardian's answer drafted with --respond.",
)
  .addFlag({ name: "once", description: "Check up to the head once and exit (cron, CI)" })
  .addOption({
    name: "failOn",
    description: "Exit 1 when an alert at or above this severity is raised or open: info, warning or critical",
    type: ArgumentType.STRING,
    defaultValue: "critical",
  })
  .addOption({
    name: "webhook",
    description: "Webhook URLs to POST each alert to (Slack-compatible JSON), comma-separated",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "alertsFile",
    description: "Append each alert to this file as a JSON line, exactly once across restarts",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "metricsPort",
    description: "Serve Prometheus metrics at http://<metrics-host>:<port>/metrics",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "metricsHost",
    description: "Address the metrics server listens on",
    type: ArgumentType.STRING,
    defaultValue: "127.0.0.1",
  })
  .addOption({
    name: "state",
    description: "The watcher's state file (default deployments/<network>/watch-state.json)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({
    name: "respond",
    description: "Draft the guardian's proposal that answers a critical alert (never signed)",
  })
  .addFlag({ name: "json", description: "Print alerts as JSON lines (and a summary line at the end)" })
  .setAction(() => import("./action.js"))
  .build();
