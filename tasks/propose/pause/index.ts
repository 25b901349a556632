import { task } from "hardhat/config";

export default task(
  ["release", "propose", "pause"],
  "Draft an emergency pause: the guardian Safe calls pause() on the proxy directly, with no delay. Several proxies (comma-separated) are paused in one transaction through MultiSendCallOnly.",
)
  .addOption({ name: "proxy", description: "Name(s) of the proxy in the records, comma-separated", defaultValue: "" })
  .addOption({ name: "description", description: "What the signers read first", defaultValue: "" })
  .addFlag({ name: "json", description: "Print only the proposal as JSON" })
  .setAction(() => import("./action.js"))
  .build();
