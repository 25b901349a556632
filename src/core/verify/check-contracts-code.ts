import type { Provider } from "ethers";

import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { SAFE_CONTRACTS, SAFE_VERSION, type SafeContractName } from "../safe/safe-artifacts.js";
import type { CompiledCode } from "./compiled-code.js";
import type { StackContract } from "./list-stack-contracts.js";
import { loadSafeCompiledCode } from "./load-safe-compiled-code.js";
import { matchBytecode, type BytecodeMatchStatus } from "./match-bytecode.js";

/** The local bytecode match of one recorded address. */
export interface CodeCheckRow {
  subject: string;
  kind: StackContract["kind"] | "safe-contract" | "safe";
  address: Address;
  contract: string;
  status: BytecodeMatchStatus;
  /** Immutable slots taken from the chain rather than compared. */
  immutables: number;
  detail?: string;
}

export interface CheckContractsCodeParameters {
  provider: Pick<Provider, "getCode">;
  stack: StackRecord;
  contracts: StackContract[];
  /** Also check the canonical Safe contracts and the Safes (SafeProxy) against Safe v1.4.1. */
  safes: boolean;
}

/**
 * Runs the local bytecode match on the given stack contracts and, when asked, on the Safe side:
 * the canonical Safe v1.4.1 contracts and both Safes (proxies whose code is SafeProxy's; adopted
 * Safes of another version are left out rather than reported as tampered).
 *
 * JSON-RPC: one eth_getCode per address, in parallel.
 */
export async function checkContractsCode({
  provider,
  stack,
  contracts,
  safes,
}: CheckContractsCodeParameters): Promise<CodeCheckRow[]> {
  const targets: Array<{ subject: string; kind: CodeCheckRow["kind"]; address: Address; compiled: CompiledCode }> =
    contracts.map((c) => ({ subject: c.subject, kind: c.kind, address: c.address, compiled: c.compiled }));
  if (safes) {
    for (const [name, address] of Object.entries(stack.safeContracts)) {
      if (!(name in SAFE_CONTRACTS)) continue;
      const compiled = loadSafeCompiledCode(name as SafeContractName);
      targets.push({ subject: `Safe ${compiled.contractName}`, kind: "safe-contract", address, compiled });
    }
    const seen = new Set<string>();
    for (const role of ["owners", "guardian"] as const) {
      const safe = stack.safes[role];
      if (safe.version !== SAFE_VERSION || seen.has(safe.address)) continue;
      seen.add(safe.address);
      targets.push({
        subject: `${role} Safe`,
        kind: "safe",
        address: safe.address,
        compiled: loadSafeCompiledCode("SafeProxy"),
      });
    }
  }
  return Promise.all(
    targets.map(async (t): Promise<CodeCheckRow> => {
      const match = matchBytecode((await provider.getCode(t.address)) as Hex, t.compiled);
      return {
        subject: t.subject,
        kind: t.kind,
        address: t.address,
        contract: t.compiled.contractName,
        ...match,
      };
    }),
  );
}
