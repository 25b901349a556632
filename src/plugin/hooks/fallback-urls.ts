import { sensitiveUrlSchema, validateUserConfigZodType } from "@nomicfoundation/hardhat-zod-utils";
import type { ConfigurationVariableResolver, HardhatConfig, HardhatUserConfig } from "hardhat/types/config";
import { z } from "zod";

/**
 * `networks.<name>.fallbackUrls`: more RPC URLs for an http network, each a string or a
 * `configVariable` (keys live in URLs). Hardhat's own network validation ignores unknown keys, so
 * the shape is checked here.
 */
const fallbackUrlsSchema = z.object({
  networks: z.record(z.object({ fallbackUrls: z.array(sensitiveUrlSchema).optional() }).passthrough()).optional(),
});

export function validateFallbackUrls(userConfig: HardhatUserConfig) {
  return validateUserConfigZodType(userConfig, fallbackUrlsSchema);
}

/** Resolves each network's fallbackUrls like Hardhat resolves `url` (lazily: nothing is read yet). */
export function resolveFallbackUrls(
  userConfig: HardhatUserConfig,
  resolved: HardhatConfig,
  resolveConfigurationVariable: ConfigurationVariableResolver,
): HardhatConfig {
  const networks = { ...resolved.networks };
  for (const [name, network] of Object.entries(networks)) {
    if (network.type !== "http") continue;
    const user = userConfig.networks?.[name];
    const urls = user?.type === "http" ? (user.fallbackUrls ?? []) : [];
    networks[name] = { ...network, fallbackUrls: urls.map((url) => resolveConfigurationVariable(url)) };
  }
  return { ...resolved, networks };
}
