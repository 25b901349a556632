import { ERRORS, ReleaseError } from "../errors.js";
import type { ExplorerName } from "../records/stack-record.js";

export const EXPLORERS: readonly ExplorerName[] = ["etherscan", "blockscout", "sourcify"];

/** How one explorer is configured, as the task reads it from hardhat-verify's config. */
export interface ExplorerSetup {
  enabled: boolean;
  /** Chain ids the explorer has an entry for (chain descriptors); "any" for Sourcify, addressed by chain id. */
  chainIds: number[] | "any";
  /** For an explorer that needs a key: the config variable holding it, and whether it has a value (asked lazily). */
  apiKey?: { variable: string; isSet: () => Promise<boolean> };
}

export interface ResolveExplorersParameters {
  network: string;
  chainId: number;
  /** `--explorer` as given; undefined for every enabled explorer that knows the chain. */
  requested?: string[];
  setups: Record<ExplorerName, ExplorerSetup>;
}

export interface ResolveExplorersResult {
  explorers: ExplorerName[];
  /** Enabled explorers left out because the chain is unknown to them (only when none were requested). */
  skipped: Array<{ explorer: ExplorerName; reason: string }>;
}

/**
 * Which explorers a `release verify` run submits to, decided before anything is sent. Explorers
 * named with `--explorer` must be known, enabled and configured for the chain; without it every
 * enabled explorer that knows the chain is used. An explorer that needs an API key without one
 * stops the run (RS4001) rather than failing for every contract.
 *
 * The toolkit does not rely on hardhat-verify's online chain lists: offline they fail silently,
 * and what gets verified must not depend on a third-party list at run time.
 */
export async function resolveExplorers({
  network,
  chainId,
  requested,
  setups,
}: ResolveExplorersParameters): Promise<ResolveExplorersResult> {
  const knows = (explorer: ExplorerName) => {
    const ids = setups[explorer].chainIds;
    return ids === "any" || ids.includes(chainId);
  };
  const skipped: ResolveExplorersResult["skipped"] = [];
  let explorers: ExplorerName[];
  if (requested !== undefined) {
    explorers = [];
    for (const raw of requested.map((r) => r.trim().toLowerCase()).filter((r) => r !== "")) {
      if (!EXPLORERS.includes(raw as ExplorerName))
        throw new ReleaseError(ERRORS.VERIFY.UNKNOWN_EXPLORER, { explorer: raw });
      const explorer = raw as ExplorerName;
      if (!setups[explorer].enabled) throw new ReleaseError(ERRORS.VERIFY.EXPLORER_DISABLED, { explorer });
      if (!knows(explorer))
        throw new ReleaseError(ERRORS.VERIFY.EXPLORER_NOT_CONFIGURED, { explorer, chainId, network });
      if (!explorers.includes(explorer)) explorers.push(explorer);
    }
  } else {
    const enabled = EXPLORERS.filter((e) => setups[e].enabled);
    explorers = enabled.filter(knows);
    for (const explorer of enabled.filter((e) => !knows(e))) {
      skipped.push({ explorer, reason: `no ${explorer} explorer is known for chain ${chainId}` });
    }
  }
  if (explorers.length === 0) {
    throw new ReleaseError(ERRORS.VERIFY.EXPLORER_NOT_CONFIGURED, {
      explorer: requested === undefined ? "enabled" : requested.join(","),
      chainId,
      network,
    });
  }
  for (const explorer of explorers) {
    const key = setups[explorer].apiKey;
    if (key !== undefined && !(await key.isSet())) {
      throw new ReleaseError(ERRORS.VERIFY.API_KEY_MISSING, { explorer, variable: key.variable });
    }
  }
  return { explorers, skipped };
}
