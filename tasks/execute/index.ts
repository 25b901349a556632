import { task } from "hardhat/config";

export default task(
  ["release", "execute"],
  "Execute the current phase of a proposal: checks the file, the Safe nonce, the signatures against the threshold and the timelock state (schedule now; execute once the ETA has passed, saying how long remains otherwise), simulates, then sends and records the result.",
)
  .addPositionalArgument({ name: "proposal", description: "Proposal id (see `release proposals`)" })
  .addFlag({
    name: "urgent",
    description: "Emergency (pause, instant rollback): send even when fees are above the network's fee cap",
  })
  .addOption({
    name: "maxFee",
    description:
      'Fee cap for this transaction, e.g. "80" (gwei) or "80 gwei" (default: the network\'s fees.maxFeePerGas)',
    defaultValue: "",
  })
  .addOption({
    name: "acknowledge",
    description:
      "Warning-level red flags you accept, comma-separated (e.g. RF-013); recorded in the proposal file. Dangers cannot be acknowledged.",
    defaultValue: "",
  })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
