import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { acknowledgeOption, PROPOSAL_ARGUMENT } from "../arguments.js";

export default task(
  ["release", "export"],
  "Export the current phase of a proposal for signing in the Safe{Wallet} app: a Transaction Builder batch file (a MultiSendCallOnly batch becomes its inner calls) with a valid checksum, behind the same review gate as sign. Printed to standard output unless --out is given.",
)
  .addPositionalArgument(PROPOSAL_ARGUMENT)
  .addOption({
    name: "format",
    description: "The file format: tx-builder (the Safe{Wallet} Transaction Builder's batch file)",
    type: ArgumentType.STRING,
    defaultValue: "tx-builder",
  })
  .addOption({
    name: "out",
    description: "Write the file here instead of printing it",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption(acknowledgeOption("dangers are never exported"))
  .addFlag({ name: "json", description: "With --out: print only a JSON summary (file, phase, nonce, safeTxHash)" })
  .setAction(() => import("./action.js"))
  .build();
