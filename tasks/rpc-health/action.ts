import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { DEFAULT_FAILOVER_SETTINGS } from "../../src/core/rpc/create-failover-transport.js";
import { checkRpcHealth } from "../../src/core/rpc/check-rpc-health.js";
import { endpointUrls, selectedNetwork } from "../../src/plugin/rpc-connection.js";
import { Reporter } from "../../src/ui/reporter.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function rpcHealthAction(args: { rpc?: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  const network = selectedNetwork(hre);
  const config = hre.config.networks[network];
  const settings = { ...DEFAULT_FAILOVER_SETTINGS, ...hre.config.release.networks[network]?.rpc };
  const health = await checkRpcHealth({
    network,
    urls: await endpointUrls(hre, args.rpc),
    chainId: config?.type === "http" ? config.chainId : undefined,
    timeoutMs: settings.timeout,
    maxLagBlocks: settings.maxLagBlocks,
    now: () => performance.now(),
  });
  new Reporter({ json: args.json }).rpcHealth(health);
  return health.ok ? successfulResult(health) : errorResult(health);
}

export default codedAction("release rpc-health", rpcHealthAction);
