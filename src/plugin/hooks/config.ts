import type { ConfigHooks } from "hardhat/types/hooks";

import { resolveReleaseConfig, validateReleaseConfig } from "../../core/config/release-config.js";

export default async (): Promise<Partial<ConfigHooks>> => ({
  validateUserConfig: async (userConfig) =>
    userConfig.release === undefined
      ? []
      : validateReleaseConfig(userConfig.release).map((issue) => ({
          path: ["release", ...issue.path],
          message: `${issue.code}: ${issue.message}`,
        })),
  resolveUserConfig: async (userConfig, resolveConfigurationVariable, next) => {
    const resolved = await next(userConfig, resolveConfigurationVariable);
    return { ...resolved, release: resolveReleaseConfig(userConfig.release, resolved.paths.root) };
  },
});
