// `npm run bench`, history section: reading a governed stack's whole history (10,000 blocks with
// events spread through them) through a loopback endpoint that adds 50 ms to every HTTP request,
// with the toolkit's reader (one eth_getLogs for all the stack's contracts per range) next to the
// naive way (one eth_getLogs per contract per block range), in the same run. Both are counted by
// the proxy; both see the same logs.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Interface, JsonRpcProvider } from "ethers";
import hre from "hardhat";

import { deployStack, openRecords, readStackHistory, ROLES, stackAddresses } from "hardhat-release-safety/core";
import type { StackRecord } from "hardhat-release-safety/core";
import { openRuntime } from "hardhat-release-safety/runtime";
import { benchRuns, median, ms, type Section } from "./lib.js";
import { LATENCY_MS, rpcCall, startNode, startSlowProxy } from "./loopback.js";

const BLOCKS = 10_000;
/** A typical hosted provider's eth_getLogs range cap (Alchemy: 2,000 blocks). */
const PROVIDER_RANGE = 2_000;
const ACCESS = new Interface([
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
]);
const HOLDER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

export async function deployOn(url: string): Promise<StackRecord> {
  const connection = await hre.network.create({ network: "localhost", override: { url } });
  try {
    const runtime = await openRuntime(hre, connection);
    const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-bench-history-")));
    const ctx = { ...(await runtime.txContext(() => {})), records };
    const { stack } = await deployStack({
      network: runtime.network,
      config: runtime.networkConfig(),
      ctx,
      artifacts: runtime.artifacts,
      validateImplementation: runtime.validateImplementation,
    });
    return stack;
  } finally {
    await connection.close();
  }
}

/** 10,000 blocks after the deploy, with a role granted and revoked on the proxy every 1,000. */
export async function buildHistory(url: string, stack: StackRecord): Promise<void> {
  const rpc = (method: string, params: unknown[]) => rpcCall(url, method, params);
  const timelock = stack.timelock.address;
  await rpc("hardhat_impersonateAccount", [timelock]);
  await rpc("hardhat_setBalance", [timelock, "0xde0b6b3a7640000"]);
  for (let i = 0; i < BLOCKS / 1_000; i++) {
    const fn = i % 2 === 0 ? "grantRole" : "revokeRole";
    const data = ACCESS.encodeFunctionData(fn, [ROLES.PAUSER, HOLDER]);
    await rpc("eth_sendTransaction", [{ from: timelock, to: stack.proxies.Vault!.address, data }]);
    await rpc("hardhat_mine", [`0x${(999).toString(16)}`]);
  }
}

/** The naive reader: one eth_getLogs per contract per provider-sized block range. */
async function naiveRead(provider: JsonRpcProvider, stack: StackRecord, head: number): Promise<number> {
  let logs = 0;
  for (const address of stackAddresses(stack)) {
    for (let from = stack.deployBlock ?? 0; from <= head; from += PROVIDER_RANGE) {
      logs += (await provider.getLogs({ address, fromBlock: from, toBlock: Math.min(head, from + PROVIDER_RANGE - 1) }))
        .length;
    }
  }
  return logs;
}

export async function historyBench(): Promise<Section[]> {
  const runs = benchRuns();
  const node = await startNode();
  try {
    const stack = await deployOn(node.url);
    await buildHistory(node.url, stack);
    const proxy = await startSlowProxy(node.url);
    try {
      const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
      const head = await provider.getBlockNumber();
      const variants = {
        ours: async () => (await readStackHistory({ provider, stack, toBlock: head })).events.length,
        oursCapped: async () =>
          (await readStackHistory({ provider, stack, toBlock: head, maxRange: PROVIDER_RANGE })).events.length,
        naive: async () => naiveRead(provider, stack, head),
      };
      const results: Record<keyof typeof variants, { times: number[]; requests: number; logs: number }> = {
        ours: { times: [], requests: 0, logs: 0 },
        oursCapped: { times: [], requests: 0, logs: 0 },
        naive: { times: [], requests: 0, logs: 0 },
      };
      for (let round = 0; round <= runs; round++) {
        for (const [name, run] of Object.entries(variants) as Array<[keyof typeof variants, () => Promise<number>]>) {
          proxy.reset();
          const start = performance.now();
          const logs = await run();
          const elapsed = performance.now() - start;
          if (round === 0) continue; // warm-up
          results[name].times.push(elapsed);
          results[name].requests = proxy.count()[0];
          results[name].logs = logs;
        }
      }
      provider.destroy();
      const row = (label: string, r: (typeof results)["ours"]) => [
        label,
        String(r.requests),
        ms(median(r.times)),
        String(r.logs),
      ];
      const blocks = head - (stack.deployBlock ?? 0);
      return [
        {
          title: `Stack history: ${blocks.toLocaleString("en-US")} blocks, ${stackAddresses(stack).length} contracts, through a loopback endpoint with ${LATENCY_MS} ms per request (median of ${runs})`,
          header: ["Reader", "HTTP requests", "Wall time", "Logs"],
          rows: [
            row("toolkit: readStackHistory (all contracts per request, adaptive range)", results.ours),
            row(
              `toolkit, endpoint capped at ${PROVIDER_RANGE.toLocaleString("en-US")} blocks a request`,
              results.oursCapped,
            ),
            row(`naive: eth_getLogs per contract per ${PROVIDER_RANGE.toLocaleString("en-US")} blocks`, results.naive),
          ],
          notes: [
            "Both read the same logs; the toolkit also derives role holders, timelock operations and Safe executions from them.",
            "The capped row is the reader with maxRange set to a hosted provider's 2,000-block limit; against an endpoint that refuses wider ranges the reader halves its range until accepted (test/core/history).",
          ],
        },
      ];
    } finally {
      await proxy.close();
    }
  } finally {
    await node.stop();
  }
}
