// `BENCH_TRACE="release status" npx hardhat run scripts/bench/trace.ts`: runs commands through the
// 50 ms loopback endpoint on a fresh stack with a pause proposal (as the commands bench does) and
// prints, per HTTP request, when it arrived and the JSON-RPC methods it carried: the chain of
// reads that wait on each other. A diagnostic, not a benchmark; `{id}` stands for the proposal.

import { benchView, Output } from "hardhat-release-safety/ui";
import type { Section } from "./lib.js";
import { BENCH_NETWORK, benchCli, stackWithPause, startNode, startSlowProxy } from "./loopback.js";

const sections: Section[] = [];
const node = await startNode();
const proxy = await startSlowProxy(node.url);
try {
  const { records, id } = await stackWithPause(node.url);
  const direct = { RELEASE_TEST_RPC_URL: node.url, RELEASE_TEST_RECORDS_DIR: records };
  const commands = (process.env.BENCH_TRACE ?? "release status;release review {id}").split(";");
  for (const command of commands) {
    const args = command.trim().replaceAll("{id}", id).split(/\s+/);
    proxy.reset();
    const { stdout, stderr } = await benchCli(args, { ...direct, RELEASE_TEST_RPC_URL: proxy.url });
    const out = stdout + stderr;
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
new Output({ network: BENCH_NETWORK }).result(benchView, { name: "trace", sections });
