import type { RpcOutcome } from "./classify-rpc-failure.js";
import { isJsonRpcResponse, type JsonRpcRequest, type JsonRpcResponse } from "./json-rpc.js";

export interface PostJsonRpcParameters {
  url: string;
  payload: JsonRpcRequest;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export type PostJsonRpcResult =
  { type: "response"; body: JsonRpcResponse } | Exclude<RpcOutcome, { type: "json-rpc-error" }>;

/**
 * One JSON-RPC request over HTTP(S), bounded by `timeoutMs` from the first byte sent to the last
 * byte read: a server that accepts the connection and then says nothing costs exactly that long.
 * Never throws; the caller classifies what came back.
 *
 * JSON-RPC: whatever `payload` names.
 */
export async function postJsonRpc({
  url,
  payload,
  timeoutMs,
  headers,
}: PostJsonRpcParameters): Promise<PostJsonRpcResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
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
    text = await response.text();
  } catch (error) {
    return { type: "exception", error, timedOut: signal.aborted };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { type: "unparseable", snippet: text.slice(0, 40) };
  }
  return isJsonRpcResponse(body) ? { type: "response", body } : { type: "unparseable", snippet: text.slice(0, 40) };
}
