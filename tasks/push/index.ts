import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "push"],
  "Put the current phase of a proposal into the Safe's queue in the Safe Transaction Service (what Safe{Wallet} shows), with the signatures of the proposal file: the first as the proposer's, the rest as confirmations. Checked like `release sign` first; pushing again adds only what the queue lacks.",
)
  .addPositionalArgument({
    name: "proposal",
    description: "The proposal id, e.g. 001-upgrade-Vault, as `release proposals` lists it (required)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "acknowledge",
    description: "Warning-level red flags you accept, comma-separated (besides those the signers recorded)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
