import "hardhat/types/config";
import type { ResolvedConfigurationVariable, SensitiveString } from "hardhat/types/config";

import type { ReleaseConfig, ReleaseUserConfig } from "../core/config/release-config.js";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    /** Release safety toolkit: per-network governance of UUPS proxies (README, "Configuration"). */
    release?: ReleaseUserConfig;
  }
  interface HardhatConfig {
    release: ReleaseConfig;
  }
  interface HttpNetworkUserConfig {
    /** More RPC URLs, tried in order after `url` by the failover layer (README, "RPC failover"). */
    fallbackUrls?: SensitiveString[];
  }
  interface HttpNetworkConfig {
    fallbackUrls: ResolvedConfigurationVariable[];
  }
}
