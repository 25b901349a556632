import { readStackHistory, type StackHistory } from "../history/read-stack-history.js";
import { lockRecords } from "../records/lock-records.js";
import { assertSameChain, readStackFile } from "../records/read-recorded-stack.js";
import type { StackRecord } from "../records/stack-record.js";
import { followChain, type FollowedChange } from "./follow-chain.js";
import type { ProposalContext } from "./proposal-context.js";

export interface OpenProposals<P = undefined> {
  stack: StackRecord;
  chainId: number;
  /** The stack's history up to the head, as read to follow the chain. */
  history: StackHistory;
  /** What the records had to catch up on before `run` (also emitted as "followed" events). */
  followed: FollowedChange[];
  /** What `prefetch` reads, started together with the chain id and the head. */
  prefetched: Promise<P>;
}

/**
 * Reads of the chain a command starts with its first ones (chain id, head), so that they travel in
 * the same round trip instead of one after another: given the stack as recorded (addresses only;
 * the records may still follow the chain before `run` sees them). It must issue its reads before
 * its first await; its failure is `run`'s to handle when it awaits `prefetched`.
 */
export type Prefetch<P> = (stack: StackRecord) => Promise<P>;

/**
 * How every command that reads or writes proposals starts: take the records lock (RS7001 while
 * another command holds it), load the stack (RS7003 without records, RS5001 on another chain),
 * make the proposal files follow the chain (see followChain), then `run`. The lock is released
 * however `run` ends. The chain id, the head and `prefetch`'s reads are asked together (one round
 * trip); the history up to that head follows.
 *
 * JSON-RPC: eth_chainId, eth_blockNumber, then those of followChain.
 */
export async function withProposals<T, P = undefined>(
  ctx: ProposalContext,
  run: (open: OpenProposals<P>) => Promise<T>,
  prefetch?: Prefetch<P>,
): Promise<T> {
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const recorded = await readStackFile(ctx.records, ctx.network);
    const network = ctx.provider.getNetwork();
    const head = ctx.provider.getBlockNumber();
    const prefetched = prefetch === undefined ? Promise.resolve(undefined as P) : prefetch(recorded);
    // Observed here so that a failure before `run` (another chain, say) is not an unhandled one.
    void prefetched.catch(() => undefined);
    const [chain, toBlock] = await Promise.all([network, head]);
    const chainId = Number(chain.chainId);
    assertSameChain(recorded, chainId, ctx.network);
    const history = await readStackHistory({ provider: ctx.provider, stack: recorded, toBlock });
    const { followed } = await followChain(ctx, recorded, chainId, history);
    for (const { reason } of ctx.records.unreadableProposals()) {
      ctx.onEvent({ type: "warning", message: `Skipped a proposal file that cannot be read: ${reason}` });
    }
    for (const change of followed) ctx.onEvent({ type: "followed", ...change });
    return await run({ stack: recorded, chainId, history, followed, prefetched });
  } finally {
    await release();
  }
}
