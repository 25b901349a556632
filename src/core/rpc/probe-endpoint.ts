import { classifyRpcFailure, type RpcFailure } from "./classify-rpc-failure.js";
import { postJsonRpc } from "./post-json-rpc.js";

export interface ProbeEndpointParameters {
  url: string;
  timeoutMs: number;
  now: () => number;
  post?: typeof postJsonRpc;
  headers?: Record<string, string>;
}

export type ProbeEndpointResult =
  | { ok: true; chainId: number; head: bigint; latencyMs: number }
  | { ok: false; failure: RpcFailure; latencyMs: number };

/**
 * Asks one endpoint which chain it serves and how far it has got, both at once, each bounded by
 * `timeoutMs`. Any error (even a JSON-RPC one) makes the probe fail: an endpoint that cannot say
 * its chainId must not serve.
 *
 * JSON-RPC: eth_chainId, eth_blockNumber.
 */
export async function probeEndpoint({
  url,
  timeoutMs,
  now,
  post = postJsonRpc,
  headers,
}: ProbeEndpointParameters): Promise<ProbeEndpointResult> {
  const start = now();
  const ask = async (method: string, id: number): Promise<{ value: bigint } | { failure: RpcFailure }> => {
    const outcome = await post({ url, payload: { jsonrpc: "2.0", id, method, params: [] }, timeoutMs, headers });
    if (outcome.type !== "response") return { failure: classifyRpcFailure(outcome, now()) };
    if ("error" in outcome.body)
      return { failure: classifyRpcFailure({ type: "json-rpc-error", error: outcome.body.error }, now()) };
    const value = outcome.body.result;
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
      return { failure: { kind: "server", message: `${method} returned ${JSON.stringify(value)}` } };
    }
    return { value: BigInt(value) };
  };
  const [chainId, head] = await Promise.all([ask("eth_chainId", 1), ask("eth_blockNumber", 2)]);
  const latencyMs = now() - start;
  if ("failure" in chainId) return { ok: false, failure: chainId.failure, latencyMs };
  if ("failure" in head) return { ok: false, failure: head.failure, latencyMs };
  return { ok: true, chainId: Number(chainId.value), head: head.value, latencyMs };
}
