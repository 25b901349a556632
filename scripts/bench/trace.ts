// `BENCH_TRACE="release status" npx hardhat run scripts/bench/trace.ts`: runs commands through the
// 50 ms loopback endpoint on a fresh stack with a pause proposal (as the commands bench does) and
// prints, per HTTP request, when it arrived and the JSON-RPC methods it carried: the chain of
// reads that wait on each other. A diagnostic, not a benchmark; `{id}` stands for the proposal.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { benchView, Output } from "hardhat-release-safety/ui";
import type { Section } from "./lib.js";
import { startNode, startSlowProxy } from "./loopback.js";

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const CONFIG = path.join("test", "fixtures", "loopback.config.ts");
/** The loopback node with local keys, as a team's network holds them (the Hardhat keystore). */
const NETWORK = "keyed";

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout, stderr } = await exec(HARDHAT, ["--config", CONFIG, ...args, "--network", NETWORK], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: "0", ...env },
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? "",
    stderr: error.stderr ?? "",
  }));
  return stdout + stderr;
}

const sections: Section[] = [];
const node = await startNode();
const proxy = await startSlowProxy(node.url);
try {
  const records = await mkdtemp(path.join(tmpdir(), "release-safety-trace-"));
  const direct = { RELEASE_TEST_RPC_URL: node.url, RELEASE_TEST_RECORDS_DIR: records };
  await cli(["release", "deploy"], direct);
  await cli(["release", "propose", "pause", "--proxy", "Vault"], direct);
  const listed = JSON.parse(await cli(["release", "proposals", "--json"], direct)) as {
    proposals: Array<{ id: string }>;
  };
  const id = listed.proposals[0]!.id;
  const commands = (process.env.BENCH_TRACE ?? "release status;release review {id}").split(";");
  for (const command of commands) {
    const args = command.trim().replaceAll("{id}", id).split(/\s+/);
    proxy.reset();
    const out = await cli(args, { ...direct, RELEASE_TEST_RPC_URL: proxy.url });
    const requests = proxy.requests();
    sections.push({
      title: `${args.join(" ")}: ${requests.length} HTTP requests`,
      header: ["Arrived", "JSON-RPC methods"],
      rows: requests.map((r) => [`${r.at.toFixed(0)} ms`, r.methods.join(", ")]),
      notes: process.env.BENCH_TRACE_OUTPUT === "1" ? out.split("\n") : [],
    });
  }
} finally {
  await proxy.close();
  await node.stop();
}
new Output({ network: NETWORK }).result(benchView, { name: "trace", sections });
