import { task } from "hardhat/config";

export default task(
  ["release", "propose", "cancel"],
  "Draft the cancellation of a scheduled timelock operation (by the guardian Safe, or the owners Safe with --by owners).",
)
  .addPositionalArgument({
    name: "proposal",
    description: "Id of the scheduled proposal to cancel (see `release proposals`)",
  })
  .addOption({ name: "by", description: "Which Safe cancels: guardian or owners", defaultValue: "guardian" })
  .addOption({ name: "description", description: "What the signers read first", defaultValue: "" })
  .addFlag({ name: "json", description: "Print only the proposal as JSON" })
  .setAction(() => import("./action.js"))
  .build();
