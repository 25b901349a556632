import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { ExplorerName } from "../../src/core/records/stack-record.js";
import type { ExplorerSetup } from "../../src/core/verify/resolve-explorers.js";

/** hardhat-verify's default Sourcify server, used when `verify.sourcify.apiUrl` is not set. */
const SOURCIFY_API_URL = "https://sourcify.dev/server";

/**
 * How hardhat-verify is configured for each explorer, read from the resolved config: enabled
 * flags, the chains each explorer has a chain descriptor for (Hardhat's built-in ones plus
 * `chainDescriptors`), and Etherscan's API key, resolved only if Etherscan is selected.
 */
export function readExplorerSetups(hre: HardhatRuntimeEnvironment): Record<ExplorerName, ExplorerSetup> {
  const { verify, chainDescriptors } = hre.config;
  const chainsWith = (explorer: "etherscan" | "blockscout") =>
    [...chainDescriptors.entries()]
      .filter(([, d]) => d.blockExplorers[explorer] !== undefined)
      .map(([id]) => Number(id));
  // At run time a configVariable(...) carries its name; a literal string in the config has none.
  const apiKeyVariable = (verify.etherscan.apiKey as { name?: unknown }).name;
  return {
    etherscan: {
      enabled: verify.etherscan.enabled,
      chainIds: chainsWith("etherscan"),
      apiKey: {
        variable: typeof apiKeyVariable === "string" ? apiKeyVariable : "ETHERSCAN_API_KEY",
        isSet: async () => {
          try {
            return (await verify.etherscan.apiKey.get()) !== "";
          } catch {
            return false;
          }
        },
      },
    },
    blockscout: { enabled: verify.blockscout.enabled, chainIds: chainsWith("blockscout") },
    sourcify: { enabled: verify.sourcify.enabled, chainIds: "any" },
  };
}

/** The page where people see a contract's source, as hardhat-verify links it. */
export function explorerContractUrl(
  hre: HardhatRuntimeEnvironment,
  chainId: number,
  explorer: ExplorerName,
  address: string,
): string {
  if (explorer === "sourcify") {
    return `${hre.config.verify.sourcify.apiUrl ?? SOURCIFY_API_URL}/repo-ui/${chainId}/${address}`;
  }
  const url = hre.config.chainDescriptors.get(BigInt(chainId))?.blockExplorers[explorer]?.url;
  return url === undefined ? "" : `${url}/address/${address}#code`;
}
