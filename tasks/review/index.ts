import { task } from "hardhat/config";

import { PROPOSAL_ARGUMENT } from "../arguments.js";

export default task(
  ["release", "review"],
  "Show what a signer must check before signing a proposal, recomputed from its raw fields and the chain (never taken from the file): every call decoded through Safe, MultiSendCallOnly, timelock and proxy, the domain hash, message hash and safeTxHash, the timelock operation and its ETA, the implementation's code against the artifact, a simulation, and red flags. Exits with code 1 when any red flag is a danger.",
)
  .addPositionalArgument(PROPOSAL_ARGUMENT)
  .addFlag({ name: "json", description: "Print only the review as JSON (stable interface, see docs/reference.md)" })
  .addFlag({ name: "markdown", description: "Print the review as Markdown (for a pull-request comment)" })
  .setAction(() => import("./action.js"))
  .build();
