// `npm run bench`, watch section: `release watch` backfilling a governed stack's 10,000 blocks and
// then following the chain block by block, through a loopback endpoint that adds 50 ms to every
// HTTP request, next to a naive watcher that polls each contract separately (eth_blockNumber, then
// eth_getLogs per contract per 1,000 blocks), in the same run. Requests are counted by the proxy.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { JsonRpcProvider } from "ethers";
import hre from "hardhat";

import { openRecords, stackAddresses, watchStack } from "hardhat-release-safety/core";
import type { StackRecord } from "hardhat-release-safety/core";
import { openRuntime } from "hardhat-release-safety/runtime";
import { buildHistory, deployOn } from "./history.js";
import { ms, type Section } from "./lib.js";
import { LATENCY_MS, rpcCall, startNode, startSlowProxy } from "./loopback.js";

/** A typical `queryFilter` loop's range. */
const NAIVE_RANGE = 1_000;
/** Seconds of interval mining (one block a second) the steady-state rows watch. */
const STEADY_SECONDS = 12;
const POLL_MS = 250;
const WARM_UP_MS = 4_000;

async function naiveBackfill(provider: JsonRpcProvider, stack: StackRecord, from: number, to: number) {
  let logs = 0;
  for (const address of stackAddresses(stack)) {
    for (let start = from; start <= to; start += NAIVE_RANGE) {
      logs += (await provider.getLogs({ address, fromBlock: start, toBlock: Math.min(to, start + NAIVE_RANGE - 1) }))
        .length;
    }
  }
  return logs;
}

/** Polls every POLL_MS: eth_blockNumber, then each contract's logs for the new blocks. */
async function naiveFollow(provider: JsonRpcProvider, stack: StackRecord, signal: AbortSignal) {
  let last = await provider.getBlockNumber();
  while (!signal.aborted) {
    const head = await provider.getBlockNumber();
    if (head > last) {
      for (const address of stackAddresses(stack))
        await provider.getLogs({ address, fromBlock: last + 1, toBlock: head });
      last = head;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A node with the stack deployed (and `history` built), seen through the slow proxy. */
async function onStack<T>(
  history: boolean,
  run: (setup: {
    node: { url: string };
    stack: StackRecord;
    provider: JsonRpcProvider;
    proxy: Awaited<ReturnType<typeof startSlowProxy>>;
    watch: (options: { once: boolean; signal?: AbortSignal }) => Promise<unknown>;
  }) => Promise<T>,
): Promise<T> {
  const node = await startNode();
  try {
    const stack = await deployOn(node.url);
    if (history) await buildHistory(node.url, stack);
    const proxy = await startSlowProxy(node.url);
    const connection = await hre.network.create({ network: "localhost", override: { url: proxy.url } });
    const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const runtime = await openRuntime(hre, connection);
      const dir = await mkdtemp(path.join(tmpdir(), "release-safety-bench-watch-"));
      const records = openRecords(dir);
      await records.writeStack(stack);
      const ctx = { ...runtime.proposalContext(() => {}), records };
      const config = { ...runtime.networkConfig().watch, pollInterval: POLL_MS };
      const stateFile = path.join(dir, "watch-state.json");
      return await run({
        node,
        stack,
        provider,
        proxy,
        watch: (options) => watchStack({ ctx, config, stateFile, onAlert: () => {}, sinks: [], ...options }),
      });
    } finally {
      provider.destroy();
      await connection.close();
      await proxy.close();
    }
  } finally {
    await node.stop();
  }
}

async function backfillSection(): Promise<Section> {
  return onStack(true, async ({ stack, provider, proxy, watch }) => {
    const head = await provider.getBlockNumber();
    const blocks = head - (stack.deployBlock ?? 0);
    const timed = async (run: () => Promise<unknown>) => {
      proxy.reset();
      const start = performance.now();
      await run();
      return { time: performance.now() - start, requests: proxy.count()[0] };
    };
    const ours = await timed(() => watch({ once: true }));
    const naive = await timed(() => naiveBackfill(provider, stack, stack.deployBlock ?? 0, head));
    const row = (label: string, r: { time: number; requests: number }) => [
      label,
      String(r.requests),
      ((r.requests / blocks) * 1000).toFixed(1),
      ms(r.time),
      `${Math.round(blocks / (r.time / 1000)).toLocaleString("en-US")} blocks/s`,
    ];
    return {
      title: `release watch: backfill of ${blocks.toLocaleString("en-US")} blocks (${stackAddresses(stack).length} contracts, 10 role changes) through a loopback endpoint with ${LATENCY_MS} ms per request`,
      header: ["Watcher", "HTTP requests", "Requests per 1,000 blocks", "Wall time", "Speed"],
      rows: [
        row("toolkit: release watch --once (events, then a full check of the stack)", ours),
        row(`naive: eth_getLogs per contract per ${NAIVE_RANGE.toLocaleString("en-US")} blocks`, naive),
      ],
      notes: [
        "The toolkit reads the events of all contracts in one eth_getLogs per 50,000 blocks; the rest of its count is the senders of the events' transactions, the records following the chain and the full check of the stack (release status' reads) that a backfill ends with.",
      ],
    };
  });
}

async function steadySection(): Promise<Section> {
  // A fresh chain whose block times follow the clock, mining a block a second.
  return onStack(false, async ({ node, stack, provider, proxy, watch }) => {
    await rpcCall(node.url, "evm_setIntervalMining", [1000]);
    // Each watcher starts, settles for WARM_UP_MS (its first poll), then is counted for STEADY_SECONDS.
    const steady = async (start: (signal: AbortSignal) => Promise<unknown>) => {
      const stop = new AbortController();
      const running = start(stop.signal);
      await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
      const before = Number(await rpcCall(node.url, "eth_blockNumber"));
      proxy.reset();
      await new Promise((resolve) => setTimeout(resolve, STEADY_SECONDS * 1000));
      const requests = proxy.count()[0];
      const after = Number(await rpcCall(node.url, "eth_blockNumber"));
      stop.abort();
      await running;
      return { requests, blocks: Math.max(1, after - before) };
    };
    const ours = await steady((signal) => watch({ once: false, signal }));
    const naive = await steady((signal) => naiveFollow(provider, stack, signal));
    await rpcCall(node.url, "evm_setIntervalMining", [0]);
    const row = (label: string, r: { requests: number; blocks: number }) => [
      label,
      String(r.blocks),
      String(r.requests),
      (r.requests / r.blocks).toFixed(2),
    ];
    return {
      title: `release watch: following the chain, one block a second for ${STEADY_SECONDS} s (poll every ${POLL_MS} ms at the least)`,
      header: ["Watcher", "Blocks", "HTTP requests", "Requests per new block"],
      rows: [
        row(
          "toolkit: release watch (head with its transactions, then the new block's logs; polls paced by the chain)",
          ours,
        ),
        row(`naive: eth_blockNumber every ${POLL_MS} ms, eth_getLogs per contract per new block`, naive),
      ],
      notes: [
        "Target: at most 2 requests per new block. Counted after each watcher's first poll (the toolkit's first poll runs the full check of the stack); the toolkit re-checks the stack when an event arrives and every `recheckBlocks` blocks (100 by default).",
      ],
    };
  });
}

export async function watchBench(): Promise<Section[]> {
  return [await backfillSection(), await steadySection()];
}
