import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "execute"],
  "Execute the current phase of a proposal: checks the file, the Safe nonce, the signatures against the threshold and the timelock state (schedule now; execute once the ETA has passed, saying how long remains otherwise), simulates, then sends and records the result.",
)
  .addPositionalArgument({
    name: "proposal",
    description: "The proposal id, e.g. 001-upgrade-Vault, as `release proposals` lists it (required)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({
    name: "urgent",
    description: "Emergency (pause, instant rollback): send even when fees are above the network's fee cap",
  })
  .addOption({
    name: "maxFee",
    description:
      'Fee cap for this transaction, e.g. "80" (gwei) or "80 gwei"; without it, the network\'s fees.maxFeePerGas',
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "acknowledge",
    description:
      "Warning-level red flags you accept, comma-separated (e.g. RF-013); recorded in the proposal file. Dangers cannot be acknowledged",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
