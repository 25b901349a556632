import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const CONFIG = path.join("test", "fixtures", "loopback.config.ts");
/**
 * The environment of a user's shell: what this test run sets for itself stays out of it, HARDHAT_*
 * (the config path among them) and the TypeScript loader mocha's workers get through NODE_OPTIONS
 * (a second loader in every CLI process would cost it half a second).
 */
export const USER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(HARDHAT_|MOCHA_)|^NODE_OPTIONS$/.test(name)),
);
// Run the CLI exactly as `npx hardhat` does: the bin script, under the Node that runs the tests.
const ENV = {
  ...USER_ENV,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
  FORCE_COLOR: "0",
  // As on CI servers, where Hardhat prints every error's stack unless the error says otherwise.
  CI: "true",
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A `hardhat node` on 127.0.0.1 that a test started; `stop()` ends it (it also ends with the test process). */
export interface LoopbackNode {
  url: string;
  recordsDir: string;
  /** Runs `hardhat --config <loopback config> <args>` against this node and collects its output. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Starts the CLI without waiting for it, for tests that kill it half-way. */
  spawnCli(args: string[], env?: Record<string, string>): ChildProcess;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, when one did (code is null then). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface LoopbackOptions {
  /** The node's chain id (`--chain-id`); Hardhat's development 31337 when not given. */
  chainId?: number;
  /** Extra environment for every CLI run (e.g. explorer stand-in URLs). */
  env?: Record<string, string>;
}

export async function startLoopbackNode(options: LoopbackOptions = {}): Promise<LoopbackNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const recordsDir = await mkdtemp(path.join(tmpdir(), "release-safety-loopback-"));
  const chainArgs = options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)];
  const node = spawn(HARDHAT, ["node", "--hostname", "127.0.0.1", "--port", String(port), ...chainArgs], {
    cwd: ROOT,
    env: ENV,
  });
  const killNode = () => node.kill("SIGKILL");
  process.once("exit", killNode);

  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP and WebSocket JSON-RPC server")) {
        node.stdout.off("data", onData);
        resolve();
      }
    };
    node.stdout.on("data", onData);
    node.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    node.once("exit", (code) => reject(new Error(`hardhat node exited with ${code}:\n${output}`)));
  });
  node.stdout.resume();

  const env = { ...ENV, ...options.env, RELEASE_TEST_RPC_URL: url, RELEASE_TEST_RECORDS_DIR: recordsDir };
  const spawnCli = (args: string[], extra: Record<string, string> = {}) =>
    spawn(HARDHAT, ["--config", CONFIG, ...args], { cwd: ROOT, env: { ...env, ...extra } });

  return {
    url,
    recordsDir,
    spawnCli,
    cli: (args, extra) =>
      new Promise((resolve) => {
        const child = spawnCli(args, extra);
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
      }),
    async rpc<T>(method: string, params: unknown[] = []) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      const body = (await response.json()) as { result?: T; error?: { message: string } };
      if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
      return body.result as T;
    },
    async stop() {
      process.off("exit", killNode);
      if (node.exitCode !== null) return;
      const exited = new Promise((resolve) => node.once("exit", resolve));
      node.kill("SIGTERM");
      await exited;
    },
  };
}
