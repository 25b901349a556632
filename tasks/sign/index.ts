import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { acknowledgeOption, PROPOSAL_ARGUMENT } from "../arguments.js";

export default task(
  ["release", "sign"],
  "Add an owner's EIP-712 signature to the current phase of a proposal: made here with one of the network's accounts (--signer; keys via configVariable/keystore, or a Ledger through hardhat-ledger), or imported (--signature). Every signature is recovered and checked (owner of that Safe, this safeTxHash, not a duplicate) before it is stored.",
)
  .addPositionalArgument(PROPOSAL_ARGUMENT)
  .addOption({
    name: "signer",
    description: "The owner who signs here, or who made --signature",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "signature",
    description:
      "A signature made elsewhere, 0x-hex: 65 bytes, EIP-712 or eth_sign (hardware wallet, Safe app), or a nested Safe's EIP-1271 contract signature",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption(acknowledgeOption("recorded in the proposal file. Dangers cannot be acknowledged"))
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
