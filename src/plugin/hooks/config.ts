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
    return { ...resolved, release: resolveReleaseConfig(userConfig.release, resolved.paths.root) };
  },
});
