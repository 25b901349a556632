import { task } from "hardhat/config";

import { acknowledgeOption, PROPOSAL_ARGUMENT } from "../arguments.js";

export default task(
  ["release", "push"],
  "Put the current phase of a proposal into the Safe's queue in the Safe Transaction Service (what Safe{Wallet} shows), with the signatures of the proposal file: the first as the proposer's, the rest as confirmations. Checked like `release sign` first; pushing again adds only what the queue lacks.",
)
  .addPositionalArgument(PROPOSAL_ARGUMENT)
  .addOption(acknowledgeOption("besides those the signers recorded"))
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
