import { spawn } from "node:child_process";
import path from "node:path";

import { USER_ENV, type CliResult, type LoopbackNode } from "./loopback.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const CONFIG = path.join("test", "fixtures", "loopback.config.ts");

/**
 * Runs `hardhat --config <loopback config> <args>` against `node`, like `node.cli`, with extra
 * environment variables (e.g. RELEASE_TEST_PRIMARY_URL for the `failover` network).
 */
export async function runCli(node: LoopbackNode, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(HARDHAT, ["--config", CONFIG, ...args], {
      cwd: ROOT,
      env: {
        ...USER_ENV,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
        FORCE_COLOR: "0",
        CI: "true",
        RELEASE_TEST_RPC_URL: node.url,
        RELEASE_TEST_RECORDS_DIR: node.recordsDir,
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
