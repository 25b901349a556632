import { readFile } from "node:fs/promises";
import path from "node:path";

import type { ConfigHooks } from "hardhat/types/hooks";

import { resolveReleaseConfig, validateReleaseConfig } from "../../core/config/release-config.js";
import { resolveFallbackUrls, validateFallbackUrls } from "./fallback-urls.js";

export default async (): Promise<Partial<ConfigHooks>> => ({
  validateUserConfig: async (userConfig) => [
    ...validateFallbackUrls(userConfig),
    ...(userConfig.release === undefined
      ? []
      : validateReleaseConfig(userConfig.release).map((issue) => ({
          path: ["release", ...issue.path],
          message: `${issue.code}: ${issue.message}`,
        }))),
  ],
  resolveUserConfig: async (userConfig, resolveConfigurationVariable, next) => {
    const resolved = resolveFallbackUrls(
      userConfig,
      await next(userConfig, resolveConfigurationVariable),
      resolveConfigurationVariable,
    );
    const npmFilesToBuild = [
      ...new Set([...resolved.solidity.npmFilesToBuild, ...(await contractsToBuild(resolved.paths.root))]),
    ];
    return {
      ...resolved,
      solidity: { ...resolved.solidity, npmFilesToBuild },
      release: resolveReleaseConfig(userConfig.release, resolved.paths.root, (secret) =>
        resolveConfigurationVariable(secret),
      ),
    };
  },
});

/**
 * What the toolkit deploys besides the project's own contracts, compiled with the project: the
 * ERC-1967 proxy and the self-administered timelock (from this package, unless the project is this
 * package, where it is a source file already).
 */
async function contractsToBuild(root: string): Promise<string[]> {
  const name = await readFile(path.join(root, "package.json"), "utf8")
    .then((text) => (JSON.parse(text) as { name?: string }).name)
    .catch(() => undefined);
  const proxy = "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
  return name === PACKAGE ? [proxy] : [proxy, `${PACKAGE}/contracts/governance/ReleaseTimelock.sol`];
}

const PACKAGE = "hardhat-release-safety";
