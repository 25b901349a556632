import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "rehearse"],
  "Rehearse proposals on a fork of the live chain (same chainId, real Safes, timelock and proxy): collected signatures are checked as on chain, missing ones supplied by impersonated owners, timelock delays skipped, then the outcome is asserted and the project's post-upgrade checks run. Writes nothing to deployments/. Exit code 1 when anything fails.",
)
  .addVariadicArgument({ name: "proposals", description: "Proposal ids, rehearsed in this order", defaultValue: [] })
  .addFlag({ name: "pending", description: "Rehearse every proposal not executed or cancelled yet, in id order" })
  .addOption({
    name: "fork",
    description: "Network (from hardhat.config.ts) whose RPC URL to fork; default: --network",
    defaultValue: "",
  })
  .addOption({ name: "forkUrl", description: "RPC URL to fork (overrides --fork)", defaultValue: "" })
  .addOption({
    name: "block",
    description: "Block number to fork at (default: the head)",
    type: ArgumentType.INT,
    defaultValue: -1,
  })
  .addOption({
    name: "report",
    description: "Also write the report as Markdown to this file (for a pull-request comment)",
    defaultValue: "",
  })
  .addFlag({ name: "json", description: "Print only the report as JSON" })
  .setAction(() => import("./action.js"))
  .build();
