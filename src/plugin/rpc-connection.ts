import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { ERRORS, ReleaseError } from "../core/errors.js";

/** The network a task runs on: --network, or Hardhat's default. */
export function selectedNetwork(hre: HardhatRuntimeEnvironment): string {
  return hre.globalOptions.network ?? "default";
}

/** `--rpc a,b,c` as URLs; RS5004 for anything that is not http(s). */
export function parseRpcList(rpc: string | undefined): string[] {
  if (rpc === undefined) return [];
  return rpc
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "")
    .map((url) => {
      let protocol = "";
      try {
        protocol = new URL(url).protocol;
      } catch {
        // reported below
      }
      // The URL itself may carry a key: show only what is needed to spot the typo.
      if (protocol !== "http:" && protocol !== "https:")
        throw new ReleaseError(ERRORS.RPC.INVALID_URL, { url: url.slice(0, 12) + "…" });
      return url;
    });
}

/** The endpoints of the selected network in failover order (url, then fallbackUrls), or --rpc's. */
export async function endpointUrls(hre: HardhatRuntimeEnvironment, rpc: string | undefined): Promise<string[]> {
  const override = parseRpcList(rpc);
  if (override.length > 0) return override;
  const network = selectedNetwork(hre);
  const config = hre.config.networks[network];
  if (config?.type !== "http") throw new ReleaseError(ERRORS.RPC.NO_ENDPOINTS, { network });
  return [await config.url.getUrl(), ...(await Promise.all(config.fallbackUrls.map((url) => url.getUrl())))];
}

/**
 * A connection to the selected network; with --rpc, one whose `url` and `fallbackUrls` are replaced
 * by the given list (so the failover layer serves it, exactly as a configured network).
 */
export async function connectWithRpc(
  hre: HardhatRuntimeEnvironment,
  rpc: string | undefined,
): Promise<NetworkConnection> {
  const urls = parseRpcList(rpc);
  if (urls.length === 0) return hre.network.getOrCreate();
  const network = selectedNetwork(hre);
  if (hre.config.networks[network]?.type !== "http") throw new ReleaseError(ERRORS.RPC.NO_ENDPOINTS, { network });
  return hre.network.create({ network, override: { url: urls[0]!, fallbackUrls: urls.slice(1) } });
}
