import { task } from "hardhat/config";

export default task(
  ["release", "propose", "rollback"],
  "Draft a rollback. --instant: the guardian Safe returns the proxy to its recorded rollback target at once (refused outside the window or without a target). --to <address|contract>: the owners Safe returns it, through the timelock, to any earlier implementation in the records, after a storage check.",
)
  .addOption({ name: "proxy", description: "Name of the proxy in the records", defaultValue: "" })
  .addFlag({ name: "instant", description: "Guardian rollback to the recorded rollback target, no delay" })
  .addOption({
    name: "to",
    description: "Earlier implementation (address or contract name) for a rollback through the timelock",
    defaultValue: "",
  })
  .addOption({ name: "description", description: "What the signers read first", defaultValue: "" })
  .addFlag({ name: "json", description: "Print only the proposal as JSON" })
  .setAction(() => import("./action.js"))
  .build();
