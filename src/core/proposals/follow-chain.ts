import { findExecution, readStackHistory, type StackHistory } from "../history/read-stack-history.js";
import type { StackRecord } from "../records/stack-record.js";
import { hashSafeTx, type SafeTx } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { completePhase } from "./complete-phase.js";
import { holdsTogether } from "./expected-safe-tx.js";
import type { ProposalContext } from "./proposal-context.js";
import type { ProposalPhase, ProposalRecord } from "./proposal-record.js";

/** A proposal the records had to catch up on, because the chain had moved on without them. */
export interface FollowedChange {
  proposal: string;
  phase: string;
  what: "executed" | "cancelled";
  txHash: Hex;
  block: number;
  /** Done by someone else (the Safe app, another script), not by a run of this toolkit. */
  outside: boolean;
}

export interface FollowChainResult {
  history: StackHistory;
  followed: FollowedChange[];
}

/**
 * Makes the proposal files follow the chain: every phase whose Safe transaction the Safe executed
 * (found by the safeTxHash recomputed from the file's fields, in the Safe's ExecutionSuccess
 * events, whoever sent it) is recorded as executed and the proposal moves on, with the ETA read
 * from the timelock; a proposal whose timelock operation was cancelled, or executed by another
 * Safe transaction, is recorded so. The caller holds the records lock.
 *
 * JSON-RPC: those of readStackHistory, and of completePhase per change.
 */
export async function followChain(
  ctx: ProposalContext,
  stack: StackRecord,
  chainId: number,
  history?: StackHistory,
): Promise<FollowChainResult> {
  const read = history ?? (await readStackHistory({ provider: ctx.provider, stack }));
  const ours = new Set(
    (await ctx.records.readJournal()).flatMap((e) =>
      e.type === "mined" || e.type === "sent" || e.type === "broadcast" ? [e.hash.toLowerCase()] : [],
    ),
  );
  const followed: FollowedChange[] = [];
  for (const proposal of await ctx.records.listProposals()) {
    if (proposal.status === "executed" || proposal.status === "cancelled") continue;
    if (proposal.chainId !== chainId || proposal.network !== ctx.network) continue;
    // A file that does not hold together never drives the records, whatever it matches on chain.
    if (!holdsTogether(proposal, stack)) continue;
    for (let phase = current(proposal); phase !== undefined; phase = current(proposal)) {
      const { safeTxHash } = hashSafeTx(chainId, proposal.safe.address, phase.safeTx);
      const execution = findExecution(read, proposal.safe.address, safeTxHash);
      if (execution === undefined) break;
      const evidence = {
        txHash: execution.txHash,
        block: execution.block,
        outside: !ours.has(execution.txHash.toLowerCase()),
      };
      await completePhase(ctx, { stack, chainId, proposal, phase }, evidence, false);
      followed.push({ proposal: proposal.id, phase: phase.name, what: "executed", ...evidence });
    }
    const change = await followOperation(ctx, stack, chainId, proposal, read);
    if (change !== undefined) followed.push(change);
  }
  return { history: read, followed };
}

/** The implementations that a transaction's Upgraded events set, by proxy: the chain's word. */
function upgradesIn(history: StackHistory, txHash: Hex): Record<Address, Address> {
  const out: Record<Address, Address> = {};
  for (const event of history.events) {
    if (event.name === "Upgraded" && event.transactionHash.toLowerCase() === txHash.toLowerCase()) {
      out[event.address] = event.args.implementation as Address;
    }
  }
  return out;
}

function current(proposal: ProposalRecord): (ProposalPhase & { safeTx: SafeTx }) | undefined {
  const phase = proposal.phases.find((p) => p.executed === null);
  return phase?.safeTx == null ? undefined : (phase as ProposalPhase & { safeTx: SafeTx });
}

/** The proposal's timelock operation, cancelled or run by someone else's Safe transaction. */
async function followOperation(
  ctx: ProposalContext,
  stack: StackRecord,
  chainId: number,
  proposal: ProposalRecord,
  history: StackHistory,
): Promise<FollowedChange | undefined> {
  if (proposal.timelock === undefined || proposal.status === "executed") return undefined;
  const id = proposal.timelock.id.toLowerCase();
  const op = history.operations.find((o) => o.id.toLowerCase() === id);
  if (op?.state === "cancelled" && op.cancelled !== null) {
    proposal.status = "cancelled";
    proposal.history.push({
      status: "cancelled",
      at: ctx.now().toISOString(),
      txHash: op.cancelled.txHash,
      note: "its timelock operation was cancelled on chain",
    });
    await ctx.records.writeProposal(proposal);
    return { proposal: proposal.id, phase: "execute", what: "cancelled", outside: true, ...op.cancelled };
  }
  const phase = current(proposal);
  if (op?.state === "executed" && op.executed !== null && phase?.name === "execute") {
    const evidence = { ...op.executed, outside: true, upgraded: upgradesIn(history, op.executed.txHash) };
    await completePhase(ctx, { stack, chainId, proposal, phase }, evidence, false);
    return { proposal: proposal.id, phase: phase.name, what: "executed", ...evidence };
  }
  return undefined;
}
