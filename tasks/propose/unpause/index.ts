import { task } from "hardhat/config";

export default task(
  ["release", "propose", "unpause"],
  "Draft an unpause through the timelock (owners Safe): resuming is never an emergency, and the delay lets everyone check the fix first.",
)
  .addOption({ name: "proxy", description: "Name(s) of the proxy in the records, comma-separated", defaultValue: "" })
  .addOption({ name: "description", description: "What the signers read first", defaultValue: "" })
  .addFlag({ name: "json", description: "Print only the proposal as JSON" })
  .setAction(() => import("./action.js"))
  .build();
