import type { RpcOutcome } from "./classify-rpc-failure.js";
import { isJsonRpcResponse, type JsonRpcErrorObject, type JsonRpcRequest, type JsonRpcResponse } from "./json-rpc.js";

export interface PostJsonRpcParameters {
  url: string;
  payload: JsonRpcRequest;
  timeoutMs: number;
  headers?: Record<string, string>;
}

type WireFailure = Exclude<RpcOutcome, { type: "json-rpc-error" }>;

export type PostJsonRpcResult = { type: "response"; body: JsonRpcResponse } | WireFailure;

/**
 * A batch's answer: the responses it got back (in any order, some possibly missing); one JSON-RPC
 * error for the whole batch (`single`: a refusal of batches or a rate limit, for the caller to
 * classify); or `refused`, HTTP 4xx other than 429.
 */
export type PostJsonRpcBatchResult =
  | { type: "batch"; bodies: JsonRpcResponse[] }
  | { type: "single"; error: JsonRpcErrorObject }
  | { type: "refused"; reason: string }
  | WireFailure;

/**
 * One JSON-RPC request over HTTP(S), bounded by `timeoutMs` from the first byte sent to the last
 * byte read: a server that accepts the connection and then says nothing costs exactly that long.
 * Never throws; the caller classifies what came back.
 *
 * JSON-RPC: whatever `payload` names.
 */
export async function postJsonRpc(params: PostJsonRpcParameters): Promise<PostJsonRpcResult> {
  const posted = await postJson(params.url, params.payload, params.timeoutMs, params.headers);
  if (posted.type !== "text") return posted;
  const body = parse(posted.text);
  return isJsonRpcResponse(body)
    ? { type: "response", body }
    : { type: "unparseable", snippet: posted.text.slice(0, 40) };
}

/** Several JSON-RPC requests in one HTTP request (a JSON-RPC batch), bounded like `postJsonRpc`. */
export async function postJsonRpcBatch(
  params: Omit<PostJsonRpcParameters, "payload"> & { payload: JsonRpcRequest[] },
): Promise<PostJsonRpcBatchResult> {
  const posted = await postJson(params.url, params.payload, params.timeoutMs, params.headers);
  if (posted.type === "http-status" && posted.status >= 400 && posted.status < 500 && posted.status !== 429) {
    return { type: "refused", reason: `HTTP ${posted.status}` };
  }
  if (posted.type !== "text") return posted;
  const body = parse(posted.text);
  if (Array.isArray(body) && body.every(isJsonRpcResponse)) return { type: "batch", bodies: body };
  if (isJsonRpcResponse(body) && "error" in body) return { type: "single", error: body.error };
  return { type: "unparseable", snippet: posted.text.slice(0, 40) };
}

async function postJson(
  url: string,
  payload: unknown,
  timeoutMs: number,
  headers: Record<string, string> | undefined,
): Promise<{ type: "text"; text: string } | WireFailure> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(payload),
      signal,
    });
    if (response.status !== 200) {
      // Drain the body so the socket can be reused; its content (an HTML error page) is useless.
      await response.body?.cancel().catch(() => undefined);
      return { type: "http-status", status: response.status, retryAfter: response.headers.get("retry-after") };
    }
    return { type: "text", text: await response.text() };
  } catch (error) {
    return { type: "exception", error, timedOut: signal.aborted };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
