import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "pull"],
  "Bring owners' confirmations from the Safe Transaction Service (Safe{Wallet}) into a proposal file. Each is recovered from the safeTxHash recomputed here (never the service's) and must be a current owner's; the rest are listed with the reason. A lying or failing service merges nothing.",
)
  .addPositionalArgument({
    name: "proposal",
    description: "The proposal id, as `release proposals` lists it (or --all)",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "all", description: "Pull every open proposal" })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
