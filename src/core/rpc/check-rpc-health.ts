import type { RpcFailureKind } from "./classify-rpc-failure.js";
import type { postJsonRpc } from "./post-json-rpc.js";
import { probeEndpoint } from "./probe-endpoint.js";
import { redactUrl } from "./redact-url.js";

export interface CheckRpcHealthParameters {
  network: string;
  /** In order of preference, as the failover layer uses them. */
  urls: string[];
  /** The network's configured chainId; without it, the chainId most endpoints report. */
  chainId?: number;
  timeoutMs: number;
  maxLagBlocks: number;
  now: () => number;
  post?: typeof postJsonRpc;
}

export type EndpointHealthState = "ok" | "lagging" | "wrong-chain" | Exclude<RpcFailureKind, "wrong-chain" | "lagging">;

export interface EndpointHealth {
  index: number;
  /** Redacted: scheme, host and port only. */
  url: string;
  state: EndpointHealthState;
  chainId: number | null;
  head: bigint | null;
  /** Blocks behind the highest head among endpoints on the expected chain. */
  lag: number | null;
  latencyMs: number;
  detail: string | null;
}

export interface RpcHealthResult {
  network: string;
  /** Configured, or agreed by most endpoints; null when they disagree evenly or none answered. */
  chainId: number | null;
  endpoints: EndpointHealth[];
  healthy: number;
  ok: boolean;
}

/**
 * Probes every endpoint of a network at once, the way the failover layer judges them: right
 * chain, head within `maxLagBlocks` of the best, and whatever error kind stops the others.
 *
 * JSON-RPC: eth_chainId, eth_blockNumber (per endpoint).
 */
export async function checkRpcHealth(params: CheckRpcHealthParameters): Promise<RpcHealthResult> {
  const probes = await Promise.all(
    params.urls.map((url) => probeEndpoint({ url, timeoutMs: params.timeoutMs, now: params.now, post: params.post })),
  );
  let chainId = params.chainId ?? null;
  if (chainId === null) {
    const votes = new Map<number, number>();
    for (const p of probes) if (p.ok) votes.set(p.chainId, (votes.get(p.chainId) ?? 0) + 1);
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    chainId = ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) ? null : ranked[0]![0];
  }
  const heads = probes.flatMap((p) => (p.ok && p.chainId === chainId ? [p.head] : []));
  const highest = heads.reduce((a, b) => (a > b ? a : b), 0n);

  const endpoints = probes.map((p, index): EndpointHealth => {
    const base = { index, url: redactUrl(params.urls[index]!), latencyMs: Math.round(p.latencyMs) };
    if (!p.ok)
      return {
        ...base,
        state: p.failure.kind,
        chainId: null,
        head: null,
        lag: null,
        detail: p.failure.message,
      };
    const common = { ...base, chainId: p.chainId, head: p.head };
    if (chainId !== null && p.chainId !== chainId) {
      return { ...common, state: "wrong-chain", lag: null, detail: `expected chainId ${chainId}` };
    }
    const lag = Number(highest - p.head);
    const lagging = lag > params.maxLagBlocks;
    return {
      ...common,
      state: lagging ? "lagging" : "ok",
      lag,
      detail: lagging ? `more than ${params.maxLagBlocks} blocks behind` : null,
    };
  });
  const healthy = endpoints.filter((e) => e.state === "ok").length;
  return { network: params.network, chainId, endpoints, healthy, ok: healthy > 0 };
}
