// `npm run bench`, commands section: what each command costs on a remote endpoint, as users run
// it (`npx hardhat release ...`, one process each), through a loopback proxy that adds 50 ms to
// every HTTP request and counts them, with the failover layer's JSON-RPC batching on (the
// default) and off (`rpc.batchSize: 1`, every request alone), in the same run on the same stack.
//
// Fairness: both variants run the same command against the same records and chain; the variants
// alternate, and wall time includes the process start (about 2 s of module loading either way).
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { benchRuns, median, ms, type Section } from "./lib.js";
import { LATENCY_MS, startNode, startSlowProxy } from "./loopback.js";

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const CONFIG = path.join("test", "fixtures", "loopback.config.ts");

/** Runs the CLI as a user types it; exit codes do not matter here (status exits 1 on drift). */
async function cli(args: string[], env: Record<string, string>): Promise<{ stdout: string; ms: number }> {
  const start = performance.now();
  const { stdout } = await exec(HARDHAT, ["--config", CONFIG, ...args, "--network", "loopback"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
      FORCE_COLOR: "0",
      ...env,
    },
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return { stdout, ms: performance.now() - start };
}

export async function commandsBench(): Promise<Section[]> {
  const runs = benchRuns();
  const node = await startNode();
  const proxy = await startSlowProxy(node.url);
  try {
    const records = await mkdtemp(path.join(tmpdir(), "release-safety-bench-commands-"));
    const direct = { RELEASE_TEST_RPC_URL: node.url, RELEASE_TEST_RECORDS_DIR: records };
    await cli(["release", "deploy"], direct);
    await cli(["release", "propose", "pause", "--proxy", "Vault"], direct);
    const listed = JSON.parse((await cli(["release", "proposals", "--json"], direct)).stdout) as {
      proposals: Array<{ id: string }>;
    };
    const id = listed.proposals[0]!.id;
    const commands: Array<[string, string[]]> = [
      ["release deploy (re-run, sends nothing)", ["release", "deploy"]],
      ["release status", ["release", "status"]],
      ["release proposals", ["release", "proposals"]],
      [`release review ${id}`, ["release", "review", id]],
    ];
    const variants = { batched: {}, alone: { RELEASE_TEST_BATCH_SIZE: "1" } };
    type Result = { times: number[]; http: number; calls: number };
    const results = new Map<string, Record<keyof typeof variants, Result>>();
    for (const [label] of commands) {
      results.set(label, { batched: { times: [], http: 0, calls: 0 }, alone: { times: [], http: 0, calls: 0 } });
    }
    for (let round = 0; round <= runs; round++) {
      for (const [label, args] of commands) {
        for (const [variant, extra] of Object.entries(variants) as Array<[keyof typeof variants, object]>) {
          proxy.reset();
          const { ms: elapsed } = await cli(args, { ...direct, RELEASE_TEST_RPC_URL: proxy.url, ...extra });
          if (round === 0) continue; // warm-up (tsx's transform cache, the OS's file cache)
          const result = results.get(label)![variant];
          result.times.push(elapsed);
          result.http = proxy.httpRequests();
          result.calls = proxy.count()[0];
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
          "Batching joins only the reads a command issues together. Issue #14's targets: status <= 4 and review <= 5 are met; sign (<= 4) and execute (<= 8 without receipt polling) are not measured here and not met (8, and 12 besides receipt polling, by scripts/bench/trace.ts): each runs the full review, whose reads fill more than one batch of 20, besides its own checks.",
          "Wall time includes the CLI process start (module loading, about 2 s), the same in both columns.",
        ],
      },
    ];
  } finally {
    await proxy.close();
    await node.stop();
  }
}
