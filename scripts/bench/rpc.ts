// `npm run bench`, RPC section: the toolkit's failover layer and fee estimator against ethers'
// FallbackProvider (quorum 1) and viem's `fallback` transport, measured in the same run against
// the same loopback endpoints: a hung one, one answering HTTP 429 (Retry-After: 2), a refused
// port, and a healthy in-process chain (Hardhat's JSON-RPC server) behind a counting proxy.
//
// Fairness: every variant starts cold (a new client or connection per run, nothing cached), asks
// the same question (eth_blockNumber for failover, a plain transfer's gas limit + fees for the
// request count), and is timed from the call to the answer. Calls that outlive the cap are
// reported as "> cap (capped)" instead of being waited for: ethers' default request timeout is
// 300 s. Our layer is driven exactly as a task drives it: a Hardhat connection whose `url` and
// `fallbackUrls` are overridden, as `--rpc` does.
import { FallbackProvider, FetchRequest, JsonRpcProvider, Network } from "ethers";
import hre from "hardhat";
import { createPublicClient, fallback, http } from "viem";

import { estimateTransactionCost, resolveFeePolicy } from "hardhat-release-safety/core";
import { startFaultyRpc, type FaultyRpc } from "../../test/helpers/faulty-rpc.js";
import { median, ms, type Section } from "./lib.js";

const HUNG_CAP_MS = 15_000;
const FAST_CAP_MS = 5_000;
const OURS_RUNS = 3;
const FROM = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OP_ORACLE = "0x420000000000000000000000000000000000000F";
// Runtime code returning uint256 12345 for any call: a stand-in GasPriceOracle.getL1Fee.
const ORACLE_CODE = "0x61303960005260206000f3";
const NETWORK = Network.from(31337);

type Timed = { ms: number } | { capped: number } | { error: string; ms: number };

async function timed(fn: () => Promise<unknown>, capMs: number): Promise<Timed> {
  const start = performance.now();
  const work = fn().then(
    () => ({ ms: performance.now() - start }),
    (error: unknown) => ({
      error: String((error as Error).message ?? error)
        .split("\n")[0]!
        .slice(0, 60),
      ms: performance.now() - start,
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<Timed>((resolve) => (timer = setTimeout(() => resolve({ capped: capMs }), capMs)));
  const result = await Promise.race([work, cap]);
  clearTimeout(timer);
  return result;
}

function show(result: Timed): string {
  if ("capped" in result) return `> ${(result.capped / 1000).toFixed(0)} s (capped)`;
  if ("error" in result) return `error after ${ms(result.ms)}: ${result.error}`;
  return ms(result.ms);
}

/** Ours: a connection with the given primary and the healthy endpoint as its fallback. */
async function ours(primary: string, healthy: string): Promise<Timed> {
  const connection = await hre.network.create({
    network: "localhost",
    override: { url: primary, fallbackUrls: [healthy] },
  });
  try {
    return await timed(() => connection.provider.request({ method: "eth_blockNumber" }), HUNG_CAP_MS);
  } finally {
    await connection.close();
  }
}

function ethersFallback(primary: string, healthy: string, timeoutMs?: number): FallbackProvider {
  const backend = (url: string, priority: number) => {
    const request = new FetchRequest(url);
    if (timeoutMs !== undefined) request.timeout = timeoutMs;
    return { provider: new JsonRpcProvider(request, NETWORK, { staticNetwork: NETWORK }), priority, weight: 1 };
  };
  return new FallbackProvider([backend(primary, 1), backend(healthy, 2)], NETWORK, { quorum: 1 });
}

function viemFallback(primary: string, healthy: string) {
  return createPublicClient({ transport: fallback([http(primary), http(healthy)]) });
}

async function failoverRows(primary: FaultyRpc, healthy: string, label: string, capMs: number): Promise<string[][]> {
  const runs: Timed[] = [];
  for (let i = 0; i < OURS_RUNS; i++) runs.push(await ours(primary.url, healthy));
  const times = runs.flatMap((r) => ("ms" in r && !("error" in r) ? [r.ms] : []));
  const oursCell =
    times.length === runs.length ? `${ms(median(times))} (median of ${OURS_RUNS})` : runs.map(show).join(", ");
  // The libraries run at once: their times are timeouts, not work, and would add up to minutes.
  const [ethersDefault, ethers10, viem] = await Promise.all([
    timed(() => ethersFallback(primary.url, healthy).getBlockNumber(), capMs),
    timed(() => ethersFallback(primary.url, healthy, 10_000).getBlockNumber(), capMs),
    timed(() => viemFallback(primary.url, healthy).getBlockNumber(), capMs),
  ]);
  return [
    [label, "ours (failover layer, defaults)", oursCell],
    [label, "ethers FallbackProvider, quorum 1, default timeout", show(ethersDefault)],
    [label, "ethers FallbackProvider, quorum 1, 10 s timeout", show(ethers10)],
    [label, "viem fallback (defaults)", show(viem)],
  ];
}

async function requestsPerEstimate(proxy: FaultyRpc, refused: string): Promise<string[][]> {
  const tx = { from: FROM, to: TO, data: "0x", value: 1n } as const;
  const count = async (fn: () => Promise<unknown>) => {
    proxy.reset();
    await fn();
    return proxy.methods.length;
  };
  const connection = await hre.network.create({
    network: "localhost",
    override: { url: proxy.url, fallbackUrls: [refused] },
  });
  const oursEstimate = () =>
    estimateTransactionCost({ rpc: connection.provider, tx: tx, policy: resolveFeePolicy(undefined) });
  try {
    const cold = await count(oursEstimate); // includes the one-time chainId + head probe
    const warm = await count(oursEstimate);
    await connection.provider.request({ method: "hardhat_setCode", params: [OP_ORACLE, ORACLE_CODE] });
    const op = await count(oursEstimate);
    await connection.provider.request({ method: "hardhat_setCode", params: [OP_ORACLE, "0x"] });

    // The same two endpoints as ours: the healthy one first, the refused port second.
    const ethersProvider = ethersFallback(proxy.url, refused);
    const ethersCount = await count(async () => {
      await ethersProvider.estimateGas({ from: FROM, to: TO, value: 1n });
      await ethersProvider.getFeeData();
    });
    const viemClient = viemFallback(proxy.url, refused);
    const viemCount = await count(async () => {
      await viemClient.estimateGas({ account: FROM, to: TO, value: 1n });
      await viemClient.estimateFeesPerGas();
    });
    return [
      ["ours, L1 (warm connection)", String(warm), "eth_estimateGas, eth_feeHistory, eth_getCode (OP Stack check)"],
      [
        "ours, L1 (first request of a connection)",
        String(cold),
        "plus eth_chainId + eth_blockNumber, once per connection",
      ],
      ["ours, OP Stack", String(op), "plus GasPriceOracle.getL1Fee (eth_call)"],
      ["ethers FallbackProvider: estimateGas + getFeeData", String(ethersCount), "no L1 data fee"],
      ["viem fallback: estimateGas + estimateFeesPerGas", String(viemCount), "no L1 data fee, 1.2 x base fee"],
    ];
  } finally {
    await connection.close();
  }
}

export async function rpcBench(): Promise<Section[]> {
  const server = await hre.network.createServer({ network: "default" }, "127.0.0.1");
  const { port } = await server.listen();
  const chain = `http://127.0.0.1:${port}`;
  const healthy = await startFaultyRpc("healthy", { upstream: chain });
  const hung = await startFaultyRpc("hang", { hangMs: HUNG_CAP_MS + 5_000 });
  const limited = await startFaultyRpc("http-429", { retryAfterSeconds: 2 });
  const refused = await startFaultyRpc("refuse");
  try {
    const rows = [
      ...(await failoverRows(hung, healthy.url, "primary hangs", HUNG_CAP_MS)),
      ...(await failoverRows(limited, healthy.url, "primary answers 429", FAST_CAP_MS)),
      ...(await failoverRows(refused, healthy.url, "primary refuses", FAST_CAP_MS)),
    ];
    const counts = await requestsPerEstimate(healthy, refused.url);
    return [
      {
        title: "Time to the first answer (eth_blockNumber) with a bad primary and a healthy fallback, cold client",
        header: ["Primary", "Client", "Time"],
        rows,
        notes: [
          "Targets (ours): hung primary <= 2 s; 429 or refused primary <= 200 ms.",
          `Ours pays one probe timeout (1 s) for a hung endpoint once per connection, then never waits for it again (cool-down 30 s, re-probed in the background).`,
          `Capped at ${HUNG_CAP_MS / 1000} s (hung) and ${FAST_CAP_MS / 1000} s (429/refused): ethers' default request timeout is 300 s.`,
        ],
      },
      {
        title: "JSON-RPC requests per estimate (gas limit + fees), counted at the endpoint",
        header: ["Client", "Requests", "What"],
        rows: counts,
        notes: ["Targets (ours): <= 3 on L1, <= 4 on OP Stack."],
      },
    ];
  } finally {
    for (const endpoint of [healthy, hung, limited, refused]) await endpoint.close();
    await server.close();
  }
}
