import { classifyRpcFailure, type RpcFailure } from "./classify-rpc-failure.js";
import type { JsonRpcResponse } from "./json-rpc.js";
import { postJsonRpc, type postJsonRpcBatch } from "./post-json-rpc.js";

export interface ProbeEndpointParameters {
  url: string;
  timeoutMs: number;
  now: () => number;
  post?: typeof postJsonRpc;
  /**
   * When given, both questions travel in one JSON-RPC batch (one round trip, one HTTP request);
   * an endpoint that does not answer the batch in full is asked again one question at a time.
   */
  postBatch?: typeof postJsonRpcBatch;
  headers?: Record<string, string>;
}

export type ProbeEndpointResult =
  /** `batchRefused`: asked with `postBatch`, the endpoint answered only single requests. */
  | { ok: true; chainId: number; head: bigint; latencyMs: number; batchRefused?: true }
  | { ok: false; failure: RpcFailure; latencyMs: number };

/**
 * Asks one endpoint which chain it serves and how far it has got, both at once, each bounded by
 * `timeoutMs`. Any error (even a JSON-RPC one) makes the probe fail: an endpoint that cannot say
 * its chainId must not serve. With `postBatch`, a batch that times out, gets an HTTP error status
 * or one busy-endpoint error fails the probe as a single request would (a hung endpoint costs one
 * timeout, not two); a question the batch did not answer (refused, garbage, missing, an error) is
 * asked again alone.
 *
 * JSON-RPC: eth_chainId, eth_blockNumber.
 */
export async function probeEndpoint({
  url,
  timeoutMs,
  now,
  post = postJsonRpc,
  postBatch,
  headers,
}: ProbeEndpointParameters): Promise<ProbeEndpointResult> {
  const start = now();
  type Answer = { value: bigint } | { failure: RpcFailure };
  const judge = (method: string, body: JsonRpcResponse): Answer => {
    if ("error" in body) return { failure: classifyRpcFailure({ type: "json-rpc-error", error: body.error }, now()) };
    const value = body.result;
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
      return { failure: { kind: "server", message: `${method} returned ${JSON.stringify(value)}` } };
    }
    return { value: BigInt(value) };
  };
  const ask = async (method: string, id: number): Promise<Answer> => {
    const outcome = await post({ url, payload: { jsonrpc: "2.0", id, method, params: [] }, timeoutMs, headers });
    if (outcome.type !== "response") return { failure: classifyRpcFailure(outcome, now()) };
    return judge(method, outcome.body);
  };
  let batchRefused = false;
  const askTogether = async (): Promise<[Answer, Answer]> => {
    const outcome = await postBatch!({
      url,
      payload: [
        { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
        { jsonrpc: "2.0", id: 2, method: "eth_blockNumber", params: [] },
      ],
      timeoutMs,
      headers,
    });
    // A busy or hung endpoint fails the probe here and now, as in the transport's own batches.
    const busy =
      outcome.type === "single"
        ? classifyRpcFailure({ type: "json-rpc-error", error: outcome.error }, now())
        : outcome.type === "http-status" || (outcome.type === "exception" && outcome.timedOut)
          ? classifyRpcFailure(outcome, now())
          : undefined;
    if (busy !== undefined && busy.kind !== "revert" && busy.kind !== "other")
      return [{ failure: busy }, { failure: busy }];
    if (outcome.type !== "batch") batchRefused = true;
    // What the batch did not answer (missing, an error) is asked again alone.
    const answered = (id: number, method: string): Promise<Answer> | Answer => {
      const body = outcome.type === "batch" ? outcome.bodies.find((b) => b.id === id) : undefined;
      return body === undefined || "error" in body ? ask(method, id) : judge(method, body);
    };
    return Promise.all([answered(1, "eth_chainId"), answered(2, "eth_blockNumber")]);
  };
  const [chainId, head] =
    postBatch === undefined
      ? await Promise.all([ask("eth_chainId", 1), ask("eth_blockNumber", 2)])
      : await askTogether();
  const latencyMs = now() - start;
  if ("failure" in chainId) return { ok: false, failure: chainId.failure, latencyMs };
  if ("failure" in head) return { ok: false, failure: head.failure, latencyMs };
  return {
    ok: true,
    chainId: Number(chainId.value),
    head: head.value,
    latencyMs,
    ...(batchRefused ? { batchRefused: true as const } : {}),
  };
}
