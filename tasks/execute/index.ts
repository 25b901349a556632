import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { acknowledgeOption, PROPOSAL_ARGUMENT } from "../arguments.js";

export default task(
  ["release", "execute"],
  "Execute the current phase of a proposal: checks the file, the Safe nonce, the signatures against the threshold and the timelock state (schedule now; execute once the ETA has passed, saying how long remains otherwise), simulates, then sends and records the result.",
)
  .addPositionalArgument(PROPOSAL_ARGUMENT)
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
  .addOption(acknowledgeOption("recorded in the proposal file. Dangers cannot be acknowledged"))
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
