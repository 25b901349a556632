import { task } from "hardhat/config";

export default task(
  ["release", "deploy"],
  "Deploy the governed stack of the selected network: Safe contracts, the owners and guardian Safes, the timelock and every proxy in release.networks.<network>. Transactions that do not depend on each other are sent together and share blocks (four groups on a fresh chain). Idempotent: a re-run completes an interrupted deploy and sends nothing when the stack is complete.",
)
  .addFlag({
    name: "json",
    description: "Print only the result as JSON (records folder, transactions, gas, stack status)",
  })
  .setAction(() => import("./action.js"))
  .build();
