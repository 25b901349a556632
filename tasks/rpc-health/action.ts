import { checkRpcHealth } from "../../src/core/rpc/check-rpc-health.js";
import { DEFAULT_FAILOVER_SETTINGS } from "../../src/core/rpc/create-failover-transport.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { endpointUrls, selectedNetwork } from "../../src/plugin/rpc-connection.js";
import { rpcHealthView } from "../../src/ui/views/gas-view.js";

export default releaseAction(
  "release rpc-health",
  rpcHealthView,
  async (args: { rpc?: string; json: boolean }, { hre }) => {
    const network = selectedNetwork(hre);
    const config = hre.config.networks[network];
    const settings = { ...DEFAULT_FAILOVER_SETTINGS, ...hre.config.release.networks[network]?.rpc };
    return checkRpcHealth({
      network,
      urls: await endpointUrls(hre, args.rpc),
      chainId: config?.type === "http" ? config.chainId : undefined,
      timeoutMs: settings.timeout,
      maxLagBlocks: settings.maxLagBlocks,
      now: () => performance.now(),
    });
  },
);
