import { getAddress } from "ethers";

import type { ArtifactSource, ContractArtifact } from "../governance/artifacts.js";
import type { StackRecord } from "../records/stack-record.js";
import { MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";
import { TIMELOCK_ABI } from "../proposals/timelock-operation.js";
import type { KnownContract, KnownImplementation } from "./decode-calls.js";

const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;

export interface KnownContracts {
  /** The stack's contracts by checksummed address: only these count as known targets. */
  known: Record<string, KnownContract>;
  /** Every implementation the records (and `extra`) name, by checksummed address. */
  implementations: Record<string, KnownImplementation>;
  /** Every ABI above, to decode revert reasons. */
  abis: Array<readonly unknown[]>;
}

/**
 * Names and ABIs of everything the stack is made of, from its records and the project's artifacts:
 * proxies (with the ABI of the code they run), their past implementations, the timelock, both
 * Safes and MultiSendCallOnly. `extra` adds implementations a proposal introduces.
 */
export async function knownContracts(
  stack: StackRecord,
  artifacts: ArtifactSource,
  extra: Array<{ address: string; contract: string }> = [],
): Promise<KnownContracts> {
  const known: Record<string, KnownContract> = {};
  const implementations: Record<string, KnownImplementation> = {};
  const abis: Array<readonly unknown[]> = [];
  const cache = new Map<string, Promise<ContractArtifact | undefined>>();
  const read = (name: string) => {
    let artifact = cache.get(name);
    if (artifact === undefined) {
      artifact = artifacts.read(name);
      cache.set(name, artifact);
    }
    return artifact;
  };

  for (const [name, proxy] of Object.entries(stack.proxies)) {
    const artifact = await read(proxy.contract);
    known[getAddress(proxy.address)] = { name, role: "proxy", contract: proxy.contract, abi: artifact?.abi ?? [] };
    if (artifact !== undefined) abis.push(artifact.abi);
    for (const entry of proxy.history) {
      const past = await read(entry.contract);
      if (past !== undefined) implementations[getAddress(entry.address)] = { contract: entry.contract, abi: past.abi };
    }
  }
  for (const { address, contract } of extra) {
    const artifact = await read(contract);
    if (artifact === undefined) continue;
    implementations[getAddress(address)] = { contract, abi: artifact.abi };
    abis.push(artifact.abi);
  }
  const timelockArtifact = await read(stack.timelock.contract);
  known[getAddress(stack.timelock.address)] = {
    name: "timelock",
    role: "timelock",
    contract: stack.timelock.contract,
    abi: timelockArtifact?.abi ?? TIMELOCK_ABI,
  };
  if (timelockArtifact !== undefined) abis.push(timelockArtifact.abi);
  for (const role of ["guardian", "owners"] as const) {
    known[getAddress(stack.safes[role].address)] = {
      name: `${role} Safe`,
      role: "safe",
      contract: "Safe",
      abi: SAFE_ABI,
    };
  }
  if (stack.safes.owners.address === stack.safes.guardian.address) {
    known[getAddress(stack.safes.owners.address)]!.name = "owners and guardian Safe";
  }
  known[MULTI_SEND_CALL_ONLY] = {
    name: "MultiSendCallOnly",
    role: "multisend",
    contract: "MultiSendCallOnly",
    abi: [],
  };
  abis.push(SAFE_ABI);
  return { known, implementations, abis };
}
