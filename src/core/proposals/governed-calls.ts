import { Contract, Interface } from "ethers";

import { GOVERNED_ABI } from "../governance/roles.js";
import type { Address } from "../records/stack-record.js";
import type { ProposalContext } from "./proposal-context.js";

/** The governed base contract's functions that proposals call. */
export const GOVERNED_CALLS = new Interface([
  "function upgradeToAndCall(address newImplementation, bytes data) payable",
  "function clearRollbackTarget()",
  "function pause()",
  "function unpause()",
]);

export interface ProxyState {
  paused: boolean;
  /** Zero address when there is no rollback target. */
  target: Address;
  deadline: number;
  /** The latest block's timestamp: the contract compares the deadline with block time, not ours. */
  now: number;
}

/**
 * Reads the proxy's pause and rollback state for the checks of pause, unpause and rollback.
 *
 * JSON-RPC: eth_call (paused, rollbackTarget), eth_getBlockByNumber.
 */
export async function readProxyState(ctx: Pick<ProposalContext, "provider">, address: Address): Promise<ProxyState> {
  const proxy = new Contract(address, GOVERNED_ABI, ctx.provider);
  const [paused, [target, deadline], block] = (await Promise.all([
    proxy.paused!(),
    proxy.rollbackTarget!(),
    ctx.provider.getBlock("latest"),
  ])) as [boolean, [string, bigint], { timestamp: number } | null];
  return { paused, target: target as Address, deadline: Number(deadline), now: block?.timestamp ?? 0 };
}
