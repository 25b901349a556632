import type { JsonRpcErrorObject } from "./json-rpc.js";

/**
 * Why an endpoint did not give a usable answer. Only "revert" and "other" are answers about the
 * request itself (final when an in-sync endpoint gives them); every other kind is about the
 * endpoint, and the next endpoint is tried.
 */
export type RpcFailureKind =
  "transport" | "timeout" | "rate-limit" | "server" | "wrong-chain" | "lagging" | "revert" | "other";

export interface RpcFailure {
  kind: RpcFailureKind;
  /** Short, URL-free description for logs and error messages. */
  message: string;
  /** From Retry-After: how long the endpoint asked us to stay away. */
  retryAfterMs?: number;
}

/** What happened on the wire, before any interpretation. */
export type RpcOutcome =
  | { type: "exception"; error: unknown; timedOut: boolean }
  | { type: "http-status"; status: number; retryAfter: string | null }
  | { type: "unparseable"; snippet: string }
  | { type: "json-rpc-error"; error: JsonRpcErrorObject };

// -32005 limit exceeded (EIP-1474), -32007 (Alchemy, QuickNode), 429 in a JSON-RPC body on HTTP 200.
const RATE_LIMIT_CODES = new Set([-32005, -32007, -32090, 429]);
const RATE_LIMIT_TEXT = /rate.?limit|too many requests|request limit|exceeded .*(quota|capacity|limit)/i;
/**
 * eth_getLogs refused as too wide or too large (Infura's -32005 "query returned more than 10000
 * results", Alchemy's "up to a 2K block range", geth's "exceed maximum block range"...): an answer
 * about the request, final on this endpoint, which the caller splits (src/core/history/read-logs.ts).
 */
export const LOG_RANGE_TEXT =
  /query returned more than|block range|range (is )?too (large|wide|big)|exceed(s|ed)? .*(range|results|size)|too many (results|logs|blocks)|response size|limited to \d+|max(imum)? (block )?range/i;
// Node-side trouble that says nothing about the request: another node may well answer it.
const SERVER_TEXT = /header not found|missing trie node|unknown block|busy|timeout|timed out|internal error|upstream/i;

/**
 * The one place that decides what a failure means (transport / timeout / rate-limit / server /
 * revert / other). "wrong-chain" and "lagging" come from probes, not from single answers.
 *
 * Security: a revert is never turned into "try elsewhere" here: only the transport may do that,
 * and only after it has seen that the reverting endpoint lags behind the others.
 */
export function classifyRpcFailure(outcome: RpcOutcome, nowMs: number): RpcFailure {
  switch (outcome.type) {
    case "exception": {
      if (outcome.timedOut) return { kind: "timeout", message: "no answer within the timeout" };
      return { kind: "transport", message: transportMessage(outcome.error) };
    }
    case "http-status": {
      if (outcome.status === 429) {
        return { kind: "rate-limit", message: "HTTP 429", retryAfterMs: parseRetryAfter(outcome.retryAfter, nowMs) };
      }
      return { kind: "server", message: `HTTP ${outcome.status}` };
    }
    case "unparseable":
      return { kind: "server", message: `not a JSON-RPC response (${JSON.stringify(outcome.snippet)})` };
    case "json-rpc-error": {
      const { code, message } = outcome.error;
      const text = `JSON-RPC ${code}: ${message}`;
      if (LOG_RANGE_TEXT.test(message)) return { kind: "other", message: text };
      if (RATE_LIMIT_CODES.has(code) || RATE_LIMIT_TEXT.test(message)) {
        return { kind: "rate-limit", message: text, retryAfterMs: retryAfterFromData(outcome.error.data) };
      }
      if (code === 3 || /revert/i.test(message)) return { kind: "revert", message: text };
      if ((code === -32603 || code === -32000) && SERVER_TEXT.test(message)) return { kind: "server", message: text };
      return { kind: "other", message: text };
    }
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function retryAfterFromData(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const value = (data as Record<string, unknown>).retryAfter ?? (data as Record<string, unknown>).retry_after;
  return typeof value === "number" && value >= 0 ? value * 1000 : undefined;
}

function transportMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code === "ECONNREFUSED" ? "connection refused" : cause.code;
  const text = error instanceof Error ? error.message : String(error);
  // fetch errors can echo the URL; it may carry a key.
  return text.replace(/https?:\/\/\S+/g, "<url>").split("\n")[0] ?? "transport error";
}
