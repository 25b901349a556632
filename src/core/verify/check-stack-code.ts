import type { Provider } from "ethers";

import type { RecordsStore } from "../records/records-store.js";
import { checkContractsCode, type CodeCheckRow } from "./check-contracts-code.js";
import type { CompiledCodeSource } from "./compiled-code.js";
import { listStackContracts } from "./list-stack-contracts.js";
import { readRecordedStack } from "../records/read-recorded-stack.js";

export interface CheckStackCodeParameters {
  network: string;
  provider: Pick<Provider, "getCode" | "getNetwork">;
  records: RecordsStore;
  compiled: CompiledCodeSource;
  /** Only what this name selects (see `listStackContracts`); the Safe side is checked only without it. */
  contract?: string;
}

export interface CheckStackCodeResult {
  network: string;
  chainId: number;
  rows: CodeCheckRow[];
  /** True when every address holds its compiled code ("exact" or "metadata-differs"). */
  ok: boolean;
}

/**
 * `release verify --local`: for every recorded address, whether the code on chain is the compiled
 * artifact (immutables and the metadata trailer accounted for). Offline apart from the node, no
 * explorer involved: the check a signer can run themselves.
 *
 * JSON-RPC: eth_chainId, then one eth_getCode per address.
 */
export async function checkStackCode(params: CheckStackCodeParameters): Promise<CheckStackCodeResult> {
  const stack = await readRecordedStack(params.provider, params.records, params.network);
  const contracts = await listStackContracts({ stack, compiled: params.compiled, contract: params.contract });
  const rows = await checkContractsCode({
    provider: params.provider,
    stack,
    contracts,
    safes: params.contract === undefined,
  });
  return {
    network: params.network,
    chainId: stack.chainId,
    rows,
    ok: rows.every((r) => r.status === "exact" || r.status === "metadata-differs"),
  };
}
