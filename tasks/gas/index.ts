import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "gas"],
  "Estimate one transaction on the selected network (a proposal's next execution, or --to/--data/--value): gas limit (estimate + buffer), fees from eth_feeHistory (2 x next base fee + tip; gas price on chains without base fee; L1 data fee on OP Stack), total cost, the fee policy's verdict, and which RPC endpoint answered.",
)
  .addPositionalArgument({
    name: "proposal",
    description:
      "Proposal id: estimate its next execution (execTransaction with the collected signatures); or use --to",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "to",
    description: "Target address",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({ name: "data", description: "Calldata (0x hex)", type: ArgumentType.STRING, defaultValue: "0x" })
  .addOption({ name: "value", description: "Value in wei", type: ArgumentType.STRING, defaultValue: "0" })
  .addOption({
    name: "from",
    description: "Sender; without it, the network's first account",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "rpc",
    description: "Comma-separated RPC URLs to use instead of the network's url and fallbackUrls",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "maxFee",
    description: 'Fee cap for this estimate, e.g. "80 gwei"; without it, the network\'s fees.maxFeePerGas',
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "urgent", description: "Price as an emergency transaction: top tip percentile, no fee cap" })
  .addFlag({ name: "json", description: "Print only the estimate as JSON" })
  .setAction(() => import("./action.js"))
  .build();
