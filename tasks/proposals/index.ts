import { task } from "hardhat/config";

export default task(
  ["release", "proposals"],
  "List the proposal queue of the selected network: kind, target, Safe, nonce, valid signatures k/n (n = the Safe's on-chain threshold), phase, status, timelock ETA and the next action to take.",
)
  .addFlag({ name: "json", description: "Print only the queue as JSON" })
  .setAction(() => import("./action.js"))
  .build();
