import type { Block, Provider } from "ethers";

import type { Hex } from "../types.js";
import { KEPT_HEADERS, type WatchState } from "./watch-state.js";

export interface HeadStep {
  /** Newly confirmed blocks, whose events are to be reported now; null when none. */
  range: { from: number; to: number } | null;
  /** First block of those reported before that a reorg dropped; null when none was. */
  reorgFrom: number | null;
  /** The newest block: its number and time (head age), and its transactions (failure rate). */
  head: { number: number; hash: Hex; timestamp: number; transactions: Array<{ hash: Hex; to: string | null }> };
}

/**
 * One poll of the chain: the head block with its transactions (one request), checked to continue
 * the headers seen before (its parent, or the stored header at the last height when blocks were
 * skipped, is still canonical). When it does not, the chain is walked back to the last header
 * that still is; everything reported above it is void (`reorgFrom`) and the cursor moves back.
 * Blocks `confirmations` deep below the head are then ready to report. Updates `state.headers`
 * and `state.cursor` (the caller reports the range, then saves).
 *
 * JSON-RPC: eth_getBlockByNumber("latest", true); eth_getBlockByNumber per header checked when
 * the chain skipped heights or reorganised.
 */
export async function followHead(
  provider: Pick<Provider, "getBlock">,
  state: WatchState,
  confirmations: number,
): Promise<HeadStep> {
  const head = await provider.getBlock("latest", true);
  if (head === null || head.hash === null) throw new Error("the endpoint returned no latest block");
  let reorgFrom: number | null = null;
  const known = new Map(state.headers.map((h) => [h.number, h.hash]));
  const last = state.headers.at(-1);
  const step = (range: HeadStep["range"]): HeadStep => ({
    range,
    reorgFrom,
    head: {
      number: head.number,
      hash: head.hash as Hex,
      timestamp: head.timestamp,
      transactions: transactionsOf(head),
    },
  });
  if (last !== undefined) {
    if (head.number < last.number && (known.get(head.number) ?? head.hash) === head.hash) {
      return step(null); // an endpoint behind the one that answered before: wait for it
    }
    const continues =
      head.number === last.number
        ? head.hash === last.hash
        : head.number === last.number + 1
          ? head.parentHash === last.hash
          : head.number > last.number && (await sameHash(provider, last.number, last.hash));
    if (!continues) {
      const fork = await forkPoint(provider, state.headers);
      state.headers = state.headers.filter((h) => h.number <= fork);
      if (fork < state.cursor) {
        reorgFrom = fork + 1;
        state.cursor = fork;
      }
    }
  }
  if (known.get(head.number) !== head.hash || reorgFrom !== null || last === undefined) {
    state.headers = [...state.headers.filter((h) => h.number < head.number), { number: head.number, hash: head.hash }];
  }
  state.headers = state.headers.slice(-(KEPT_HEADERS + confirmations));
  const confirmed = head.number - confirmations;
  return step(confirmed > state.cursor ? { from: state.cursor + 1, to: confirmed } : null);
}

async function sameHash(provider: Pick<Provider, "getBlock">, number: number, hash: string): Promise<boolean> {
  return (await provider.getBlock(number))?.hash === hash;
}

/** The highest stored header the chain still has; one below the oldest when none is. */
async function forkPoint(provider: Pick<Provider, "getBlock">, headers: WatchState["headers"]): Promise<number> {
  for (let i = headers.length - 1; i >= 0; i--) {
    if (await sameHash(provider, headers[i]!.number, headers[i]!.hash)) return headers[i]!.number;
  }
  return (headers[0]?.number ?? 1) - 1;
}

function transactionsOf(block: Block): HeadStep["head"]["transactions"] {
  return block.prefetchedTransactions.map((tx) => ({ hash: tx.hash as Hex, to: tx.to }));
}
