// Loopback JSON-RPC endpoints that misbehave the ways real providers do, for the failover tests
// and the RPC benchmark. Each binds to 127.0.0.1 on a free port, counts what it receives, and is
// stopped with close() (hung sockets included); a hung request is dropped by the server itself
// after `hangMs`, so nothing can wait forever.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";

export type Fault =
  | "hang"
  | "refuse"
  | "http-429"
  | "http-503"
  | "garbage"
  | "rpc-rate-limit"
  | "wrong-chain"
  | "lagging"
  | "healthy"
  /** Passes the transaction on to the upstream (which mines it), then never answers. */
  | "hang-after-send"
  /** Refuses eth_getLogs over more than `maxLogRange` blocks, as hosted providers do. */
  | "logs-range-limit"
  /** Forwards everything, but claims other hashes for blocks: on another fork, or lying. */
  | "forked"
  /** Answers single requests; a batch gets one JSON-RPC error, as providers without batches do. */
  | "no-batch"
  /** In a batch, every second call is rate-limited (-32005), as metered providers answer bursts. */
  | "batch-rate-limit"
  /** A batch gets one rate-limit error (-32005) for the whole of it; single requests are answered. */
  | "batch-busy"
  /** A batch of more than two calls gets one JSON-RPC error, as providers that cap batch sizes answer. */
  | "small-batches";

export const FAULTS: Fault[] = [
  "hang",
  "refuse",
  "http-429",
  "http-503",
  "garbage",
  "rpc-rate-limit",
  "wrong-chain",
  "lagging",
];

export interface FaultyRpc {
  fault: Fault;
  url: string;
  /** JSON-RPC methods received, in order (a batch counts each call). */
  methods: string[];
  /** HTTP requests received. */
  httpRequests: number;
  reset(): void;
  close(): Promise<void>;
}

export interface FaultyRpcOptions {
  /** Where "healthy", "wrong-chain" and "lagging" forward to (a hardhat node). */
  upstream?: string;
  /** Retry-After of "http-429", in seconds. */
  retryAfterSeconds?: number;
  /** Blocks "lagging" stays behind the upstream. */
  lagBlocks?: number;
  /** "hang" drops the socket after this long. */
  hangMs?: number;
  /** Added before every answer (a remote endpoint's round trip). */
  latencyMs?: number;
  /** "logs-range-limit": the widest eth_getLogs range answered. */
  maxLogRange?: number;
}

interface RpcCall {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params?: unknown[];
}

const BLOCK_PARAM_INDEX: Record<string, number> = {
  eth_call: 1,
  eth_estimateGas: 1,
  eth_getCode: 1,
  eth_getBalance: 1,
  eth_getTransactionCount: 1,
  eth_getStorageAt: 2,
  eth_getBlockByNumber: 0,
  eth_feeHistory: 1,
};

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += (chunk as Buffer).toString();
  return body;
}

async function forward(upstream: string, call: RpcCall): Promise<unknown> {
  const response = await fetch(upstream, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(call),
  });
  return response.json();
}

export async function startFaultyRpc(fault: Fault, options: FaultyRpcOptions = {}): Promise<FaultyRpc> {
  const {
    upstream,
    retryAfterSeconds = 2,
    lagBlocks = 50,
    hangMs = 15_000,
    latencyMs = 0,
    maxLogRange = 2_000,
  } = options;
  const state = { methods: [] as string[], httpRequests: 0 };
  const reset = () => {
    state.methods.length = 0;
    state.httpRequests = 0;
  };

  if (fault === "refuse") {
    // A port nobody listens on: the connection is refused at once.
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`;
    return {
      fault,
      url,
      get methods() {
        return state.methods;
      },
      get httpRequests() {
        return state.httpRequests;
      },
      reset,
      close: async () => {},
    };
  }
  if (!["hang", "http-429", "http-503", "garbage", "rpc-rate-limit"].includes(fault) && upstream === undefined) {
    throw new Error(`the ${fault} endpoint needs an upstream`);
  }

  const answer = async (call: RpcCall): Promise<unknown> => {
    if (fault === "rpc-rate-limit") {
      return { jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "limit exceeded" } };
    }
    if (fault === "logs-range-limit" && call.method === "eth_getLogs") {
      const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      const head = Number(
        (
          (await forward(upstream!, { jsonrpc: "2.0", id: 0, method: "eth_blockNumber", params: [] })) as {
            result: string;
          }
        ).result,
      );
      const from = filter.fromBlock === undefined || filter.fromBlock === "latest" ? head : Number(filter.fromBlock);
      const to = filter.toBlock === undefined || filter.toBlock === "latest" ? head : Number(filter.toBlock);
      if (to - from + 1 > maxLogRange) {
        // Alchemy's wording; the failover layer must pass it on, the history reader must split.
        return {
          jsonrpc: "2.0",
          id: call.id,
          error: {
            code: -32600,
            message: `You can make eth_getLogs requests with up to a ${maxLogRange} block range.`,
          },
        };
      }
    }
    if (fault === "wrong-chain" && call.method === "eth_chainId") return { jsonrpc: "2.0", id: call.id, result: "0x1" };
    if (fault === "wrong-chain" && call.method === "net_version") return { jsonrpc: "2.0", id: call.id, result: "1" };
    if (fault === "lagging") {
      const head = (await forward(upstream!, { jsonrpc: "2.0", id: 0, method: "eth_blockNumber", params: [] })) as {
        result: string;
      };
      const lagged = `0x${Math.max(0, Number(head.result) - lagBlocks).toString(16)}`;
      if (call.method === "eth_blockNumber") return { jsonrpc: "2.0", id: call.id, result: lagged };
      // Answer reads as of 50 blocks ago, as a node that fell behind does.
      const at = BLOCK_PARAM_INDEX[call.method];
      if (at !== undefined) {
        const params = [...(call.params ?? [])];
        if (params[at] === undefined || params[at] === "latest" || params[at] === "pending") params[at] = lagged;
        return forward(upstream!, { ...call, params });
      }
    }
    if (fault === "forked" && call.method === "eth_getBlockByNumber") {
      const answer = (await forward(upstream!, call)) as { result?: { hash?: string } | null };
      if (answer.result?.hash !== undefined) answer.result.hash = `0x${"f0".repeat(32)}`;
      return answer;
    }
    return forward(upstream!, call);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      state.httpRequests++;
      const text = await readBody(req);
      let calls: RpcCall[] = [];
      try {
        const parsed = JSON.parse(text) as RpcCall | RpcCall[];
        calls = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        // counted as an HTTP request only
      }
      state.methods.push(...calls.map((c) => c.method));
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (fault === "hang-after-send" && calls.some((c) => c.method === "eth_sendRawTransaction")) {
        await Promise.all(calls.map((c) => forward(upstream!, c)));
        setTimeout(() => req.socket.destroy(), hangMs).unref();
        return;
      }
      switch (fault) {
        case "hang":
          setTimeout(() => req.socket.destroy(), hangMs).unref();
          return;
        case "http-429":
          res.writeHead(429, { "retry-after": String(retryAfterSeconds), "content-type": "text/plain" });
          res.end("Too Many Requests");
          return;
        case "http-503":
          res.writeHead(503, { "content-type": "text/plain" });
          res.end("Service Unavailable");
          return;
        case "garbage":
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html><body>Bad gateway</body></html>");
          return;
      }
      try {
        const parsed = JSON.parse(text) as RpcCall | RpcCall[];
        const refusedBatch =
          Array.isArray(parsed) &&
          (fault === "no-batch" || fault === "batch-busy" || (fault === "small-batches" && parsed.length > 2));
        if (refusedBatch) {
          const refusal = {
            jsonrpc: "2.0",
            id: null,
            error:
              fault === "no-batch"
                ? { code: -32600, message: "batch requests are not supported" }
                : fault === "small-batches"
                  ? { code: -32600, message: "batch size exceeds the limit of 2" }
                  : { code: -32005, message: "limit exceeded" },
          };
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(refusal));
          return;
        }
        const limited = async (call: RpcCall, index: number) =>
          fault === "batch-rate-limit" && index % 2 === 1
            ? { jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "limit exceeded" } }
            : answer(call);
        const answers = Array.isArray(parsed) ? await Promise.all(parsed.map(limited)) : await answer(parsed);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answers));
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    })();
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as { port: number };
  return {
    fault,
    url: `http://127.0.0.1:${port}`,
    get methods() {
      return state.methods;
    },
    get httpRequests() {
      return state.httpRequests;
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
