import type { StackHistory } from "../history/read-stack-history.js";
import { lockRecords } from "../records/lock-records.js";
import type { StackRecord } from "../records/stack-record.js";
import { followChain, type FollowedChange } from "./follow-chain.js";
import { loadStack, type ProposalContext } from "./proposal-context.js";

export interface OpenProposals {
  stack: StackRecord;
  chainId: number;
  /** The stack's history up to the head, as read to follow the chain. */
  history: StackHistory;
  /** What the records had to catch up on before `run` (also emitted as "followed" events). */
  followed: FollowedChange[];
}

/**
 * How every command that reads or writes proposals starts: take the records lock (RS7001 while
 * another command holds it), load the stack (RS7003 without records, RS5001 on another chain),
 * make the proposal files follow the chain (see followChain), then `run`. The lock is released
 * however `run` ends.
 *
 * JSON-RPC: eth_chainId, then those of followChain.
 */
export async function withProposals<T>(ctx: ProposalContext, run: (open: OpenProposals) => Promise<T>): Promise<T> {
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const { stack, chainId } = await loadStack(ctx);
    const { history, followed } = await followChain(ctx, stack, chainId);
    for (const { reason } of ctx.records.unreadableProposals()) {
      ctx.onEvent({ type: "warning", message: `Skipped a proposal file that cannot be read: ${reason}` });
    }
    for (const change of followed) ctx.onEvent({ type: "followed", ...change });
    return await run({ stack, chainId, history, followed });
  } finally {
    await release();
  }
}
