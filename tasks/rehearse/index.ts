import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "rehearse"],
  "Rehearse proposals on a fork of the live chain (same chainId, real Safes, timelock and proxy): collected signatures are checked as on chain, missing ones supplied by impersonated owners, timelock delays skipped, then the outcome is asserted and the project's post-upgrade checks run. Writes nothing to deployments/. Exit code 1 when anything fails.",
)
  .addVariadicArgument({ name: "proposals", description: "Proposal ids to rehearse", defaultValue: [] })
  .addFlag({
    name: "pending",
    description:
      "Rehearse every proposal not executed or cancelled yet, their phases in the order the Safes' nonces allow",
  })
  .addOption({
    name: "fork",
    description: "Network (from hardhat.config.ts) whose RPC URL to fork; without it, --network's",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "forkUrl",
    description: "RPC URL to fork (overrides --fork)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "block",
    description: "Block number to fork at; without it, the head",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "report",
    description: "Also write the report as Markdown to this file (for a pull-request comment)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "json", description: "Print only the report as JSON" })
  .addFlag({ name: "markdown", description: "Print the report as Markdown" })
  .setAction(() => import("./action.js"))
  .build();
