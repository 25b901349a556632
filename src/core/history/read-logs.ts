import type { Log, Provider } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { LOG_RANGE_TEXT } from "../rpc/classify-rpc-failure.js";
import type { Address } from "../types.js";

export interface ReadLogsParameters {
  provider: Pick<Provider, "getLogs">;
  /** Every address at once: one eth_getLogs covers them all. */
  addresses: Address[];
  fromBlock: number;
  toBlock: number;
  /** The widest block range one request asks for (providers cap it); narrower after a range error. */
  maxRange?: number;
}

export interface ReadLogsResult {
  /** Oldest first, as the node orders them. */
  logs: Log[];
  /** eth_getLogs requests made, the refused ones included. */
  requests: number;
}

export const DEFAULT_MAX_LOG_RANGE = 50_000;

/**
 * Every log of `addresses` in [fromBlock, toBlock], in as few eth_getLogs requests as the endpoint
 * allows: the range starts at `maxRange`, halves each time the endpoint refuses it as too wide (or
 * its answer as too large), and doubles again after each success, so a burst of events costs a few
 * narrow requests and a quiet stretch one wide one. Other errors are final.
 *
 * JSON-RPC: eth_getLogs (address list, no topics), once per range.
 */
export async function readLogs(params: ReadLogsParameters): Promise<ReadLogsResult> {
  const maxRange = params.maxRange ?? DEFAULT_MAX_LOG_RANGE;
  const logs: Log[] = [];
  let requests = 0;
  let span = Math.max(1, Math.min(maxRange, params.toBlock - params.fromBlock + 1));
  let from = params.fromBlock;
  while (from <= params.toBlock) {
    const to = Math.min(params.toBlock, from + span - 1);
    requests++;
    try {
      logs.push(...(await params.provider.getLogs({ address: params.addresses, fromBlock: from, toBlock: to })));
      from = to + 1;
      span = Math.min(maxRange, span * 2);
    } catch (error) {
      if (!isRangeError(error)) throw error;
      if (span === 1) {
        throw new ReleaseError(ERRORS.RPC.LOGS_REFUSED, { block: from, reason: messageOf(error) }, error as Error);
      }
      span = Math.ceil(span / 2);
    }
  }
  return { logs, requests };
}

/** True when an eth_getLogs failure means "ask for less", not "something is wrong". */
export function isRangeError(error: unknown): boolean {
  return LOG_RANGE_TEXT.test(messageOf(error));
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const e = current as {
      message?: unknown;
      shortMessage?: unknown;
      error?: unknown;
      info?: { error?: unknown };
      cause?: unknown;
    };
    if (typeof e.message === "string") parts.push(e.message);
    if (typeof e.shortMessage === "string") parts.push(e.shortMessage);
    current = e.error ?? e.info?.error ?? e.cause;
  }
  return parts.join(" | ").slice(0, 300);
}
