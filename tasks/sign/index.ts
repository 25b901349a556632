import { task } from "hardhat/config";

export default task(
  ["release", "sign"],
  "Add an owner's EIP-712 signature to the current phase of a proposal: made here with one of the network's accounts (--signer; keys via configVariable/keystore, or a Ledger through hardhat-ledger), or imported (--signature). Every signature is recovered and checked (owner of that Safe, this safeTxHash, not a duplicate) before it is stored.",
)
  .addPositionalArgument({ name: "proposal", description: "Proposal id (see `release proposals`)" })
  .addOption({ name: "signer", description: "Owner address that signs (or that made --signature)", defaultValue: "" })
  .addOption({
    name: "signature",
    description: "A 65-byte signature made elsewhere (hardware wallet, Safe app), 0x-hex",
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
