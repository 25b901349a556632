// `npm run bench`, commands section: what each command costs on a remote endpoint, as users run
// it (`npx hardhat release ...`, one process each), through a loopback proxy that adds 50 ms to
// every HTTP request and counts them, with the failover layer's JSON-RPC batching on (the
// default) and off (`rpc.batchSize: 1`, every request alone), in the same run on the same stack.
//
// Fairness: both variants run the same command against the same records and chain (sign and
// execute change both: every variant of every round starts from the same snapshot of the node
// and copy of the records); the variants alternate, and wall time includes the process start
// (about 2 s of module loading either way).
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { benchRuns, median, ms, type Section } from "./lib.js";
import { benchCli, LATENCY_MS, rpcCall, stackWithPause, startNode, startSlowProxy } from "./loopback.js";

/** An owner of the example stack's 1-of-2 guardian Safe (the node's account #4): signs the pause. */
const GUARDIAN_OWNER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

export async function commandsBench(): Promise<Section[]> {
  const runs = benchRuns();
  const node = await startNode();
  const proxy = await startSlowProxy(node.url);
  try {
    const { records, id } = await stackWithPause(node.url);
    const direct = { RELEASE_TEST_RPC_URL: node.url, RELEASE_TEST_RECORDS_DIR: records };
    // sign and execute change chain and records: every variant of every round starts from this.
    const pristine = await mkdtemp(path.join(tmpdir(), "release-safety-bench-pristine-"));
    await cp(records, pristine, { recursive: true });
    let snapshot = await rpcCall(node.url, "evm_snapshot");
    const restore = async () => {
      await rpcCall(node.url, "evm_revert", [snapshot]);
      snapshot = await rpcCall(node.url, "evm_snapshot");
      await rm(records, { recursive: true, force: true });
      await cp(pristine, records, { recursive: true });
    };
    const commands: Array<[string, string[]]> = [
      ["release deploy (re-run, sends nothing)", ["release", "deploy"]],
      ["release status", ["release", "status"]],
      ["release proposals", ["release", "proposals"]],
      [`release review ${id}`, ["release", "review", id]],
      [`release sign ${id}`, ["release", "sign", id, "--signer", GUARDIAN_OWNER]],
      [`release execute ${id} (receipt polls not counted)`, ["release", "execute", id]],
    ];
    const variants = { batched: {}, alone: { RELEASE_TEST_BATCH_SIZE: "1" } };
    type Result = { times: number[]; http: number; calls: number };
    const results = new Map<string, Record<keyof typeof variants, Result>>();
    for (const [label] of commands) {
      results.set(label, { batched: { times: [], http: 0, calls: 0 }, alone: { times: [], http: 0, calls: 0 } });
    }
    for (let round = 0; round <= runs; round++) {
      for (const [variant, extra] of Object.entries(variants) as Array<[keyof typeof variants, object]>) {
        await restore();
        for (const [label, args] of commands) {
          proxy.reset();
          const { ms: elapsed } = await benchCli(args, { ...direct, RELEASE_TEST_RPC_URL: proxy.url, ...extra });
          if (round === 0) continue; // warm-up (tsx's transform cache, the OS's file cache)
          const result = results.get(label)![variant];
          result.times.push(elapsed);
          // Waiting for a receipt is the chain's time, not the command's reads.
          const counted = proxy.requests().filter((r) => r.methods.some((m) => m !== "eth_getTransactionReceipt"));
          result.http = counted.length;
          result.calls = counted.reduce((sum, r) => sum + r.methods.length, 0);
        }
      }
    }
    return [
      {
        title: `Commands through a loopback endpoint with ${LATENCY_MS} ms per HTTP request: JSON-RPC batching on (default) and off (median of ${runs})`,
        header: [
          "Command",
          "HTTP requests, batched",
          "JSON-RPC calls",
          "Wall time, batched",
          "HTTP requests, alone",
          "Wall time, alone",
        ],
        rows: commands.map(([label]) => {
          const { batched, alone } = results.get(label)!;
          return [
            label,
            String(batched.http),
            String(batched.calls),
            ms(median(batched.times)),
            String(alone.http),
            ms(median(alone.times)),
          ];
        }),
        notes: [
          "Issue #14's targets, HTTP requests with batching on: status <= 4, review <= 5, sign <= 4, execute <= 8 (receipt polls not counted), a deploy re-run <= 6. The table shows where each stands.",
          "Each command's reads: the start-up probe (chain id and head, one batch), the whole stack with everything checked against it (one batch), the event history (eth_getLogs, always alone: it has its own deadline), then what depends on those (a proposal's simulation). scripts/bench/trace.ts prints them request by request.",
          "The network holds its keys locally, as a team's network does (the Hardhat keystore): with a node's own accounts Hardhat asks eth_accounts before the first call, one more round trip.",
          "Wall time includes the CLI process start (module loading, about 2 s), the same in both columns.",
        ],
      },
    ];
  } finally {
    await proxy.close();
    await node.stop();
  }
}
