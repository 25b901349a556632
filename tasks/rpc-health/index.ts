import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "rpc-health"],
  "Check every RPC endpoint of the selected network (url, then fallbackUrls) the way the failover layer judges them: chainId, head, lag, latency and state. Exits with code 1 when no endpoint is healthy.",
)
  .addOption({
    name: "rpc",
    description: "Comma-separated RPC URLs to check instead of the network's",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
