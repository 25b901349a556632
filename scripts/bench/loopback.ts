// Loopback pieces the benchmarks share: a `hardhat node` playing the live chain, and a proxy in
// front of it that adds a remote endpoint's latency to every HTTP request and counts what it sees.
import { execFile, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/** Added to every HTTP request by the slow proxy: a remote RPC endpoint's round trip. */
export const LATENCY_MS = 50;
const ROOT = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `hardhat node` on 127.0.0.1 playing the live chain; `stop()` ends it by pid (so does process exit). */
export async function startNode(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };
  const hardhat = path.join(ROOT, "node_modules", ".bin", "hardhat");
  const node = spawn(hardhat, ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, env });
  const kill = () => node.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.off("exit", kill);
    if (node.exitCode !== null || node.signalCode !== null) return;
    const exited = new Promise((resolve) => node.once("exit", resolve));
    node.kill("SIGTERM");
    await exited;
  };
  let output = ""; // it logs every request: keep draining both streams
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  node.stderr.on("data", collect);
  node.stdout.on("data", collect);
  const started = new Promise<void>((resolve, reject) => {
    node.stdout.on("data", () => output.includes("Started HTTP and WebSocket JSON-RPC server") && resolve());
    node.once("exit", (code) => reject(new Error(`hardhat node exited with ${code}:\n${output}`)));
  });
  await started.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** A proxy adding LATENCY_MS to every HTTP request, counting HTTP requests and JSON-RPC calls (each call of a batch). */
export async function startSlowProxy(upstream: string, latencyMs = LATENCY_MS) {
  const methods = new Map<string, number>();
  const distinct = new Set<string>(); // method + params: how many answers were actually new
  let httpRequests = 0;
  let log: Array<{ at: number; methods: string[] }> = [];
  let origin = performance.now();
  const server = createHttpServer((req, res) => {
    httpRequests++;
    const entry = { at: performance.now() - origin, methods: [] as string[] };
    log.push(entry);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      try {
        type Call = { method?: string; params?: unknown };
        for (const call of [JSON.parse(body) as Call | Call[]].flat()) {
          methods.set(String(call.method), (methods.get(String(call.method)) ?? 0) + 1);
          entry.methods.push(String(call.method));
          distinct.add(`${call.method} ${JSON.stringify(call.params)}`);
        }
      } catch {
        methods.set("(unparsable)", (methods.get("(unparsable)") ?? 0) + 1);
      }
      setTimeout(() => {
        fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body })
          .then(async (answer) => {
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(await answer.text());
          })
          .catch((error: unknown) => res.writeHead(res.headersSent ? res.statusCode : 502).end(String(error)));
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => [methods.clear(), distinct.clear(), (httpRequests = 0), (log = []), (origin = performance.now())],
    /** HTTP requests (a JSON-RPC batch is one). */
    httpRequests: () => httpRequests,
    count: () => [[...methods.values()].reduce((a, b) => a + b, 0), distinct.size] as const,
    methods: () => new Map(methods),
    /** Every HTTP request since the last reset, in arrival order: when (ms) and the JSON-RPC methods it carried. */
    requests: () => log.map((r) => ({ at: r.at, methods: [...r.methods] })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One JSON-RPC call to `url` (test-node controls such as evm_setIntervalMining). */
export async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await answer.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The loopback node with local keys, as a team's network holds them (the Hardhat keystore). */
export const BENCH_NETWORK = "keyed";
const exec = promisify(execFile);

/**
 * Runs the CLI as a user types it (`hardhat --config test/fixtures/loopback.config.ts <args>
 * --network keyed`), one process; never throws: exit codes do not matter here (status exits 1 on
 * drift).
 */
export async function benchCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; ms: number }> {
  const start = performance.now();
  const config = path.join("test", "fixtures", "loopback.config.ts");
  const { stdout, stderr } = await exec(
    path.join(ROOT, "node_modules", ".bin", "hardhat"),
    ["--config", config, ...args, "--network", BENCH_NETWORK],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
        FORCE_COLOR: "0",
        ...env,
      },
    },
  ).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? "",
    stderr: error.stderr ?? "",
  }));
  return { stdout, stderr, ms: performance.now() - start };
}

/** The example stack deployed on the node at `url`, with a pause proposal: its records folder and the proposal's id. */
export async function stackWithPause(url: string): Promise<{ records: string; id: string }> {
  const records = await mkdtemp(path.join(tmpdir(), "release-safety-bench-"));
  const env = { RELEASE_TEST_RPC_URL: url, RELEASE_TEST_RECORDS_DIR: records };
  await benchCli(["release", "deploy"], env);
  await benchCli(["release", "propose", "pause", "--proxy", "Vault"], env);
  const listed = JSON.parse((await benchCli(["release", "proposals", "--json"], env)).stdout) as {
    proposals: Array<{ id: string }>;
  };
  return { records, id: listed.proposals[0]!.id };
}
