import { task } from "hardhat/config";

export default task(
  ["release", "propose", "upgrade"],
  "Draft an upgrade through the timelock (owners Safe). Validates the new implementation against the current one with OpenZeppelin, checks that the proxy could return to today's code, deploys the implementation (an identical one is reused) and writes deployments/<network>/proposals/<id>.json.",
)
  .addOption({
    name: "proxy",
    description: "Name of the proxy in the records (see `release status`)",
    defaultValue: "",
  })
  .addOption({
    name: "implementation",
    description: "Contract name of the new implementation, e.g. VaultV2",
    defaultValue: "",
  })
  .addOption({
    name: "call",
    description: 'Function of the new implementation to call during the upgrade, e.g. "initializeV2()"',
    defaultValue: "",
  })
  .addFlag({
    name: "noRollback",
    description:
      "Clear the rollback target in the same operation (for a security fix: the guardian can then never return to the vulnerable code)",
  })
  .addOption({ name: "description", description: "What the signers read first", defaultValue: "" })
  .addFlag({ name: "json", description: "Print only the proposal as JSON" })
  .setAction(() => import("./action.js"))
  .build();
