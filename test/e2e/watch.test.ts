import { type ChildProcess } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Interface, randomBytes, hexlify } from "ethers";

import type { StackRecord } from "../../src/core/records/stack-record.js";
import type { Alert } from "../../src/core/watch/alert.js";
import { ROLES } from "../../src/core/governance/roles.js";
import { freeLoopbackPort, startFaultyRpc } from "../helpers/faulty-rpc.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { executeOutside, sendAs } from "../helpers/outside.js";
import { GUARDIAN_1, OWNER_1, OWNER_2, STRANGER } from "../helpers/proposals.js";

const ACCESS = new Interface([
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function updateDelay(uint256 newDelay)",
  "function addOwnerWithThreshold(address owner, uint256 threshold)",
  "function pause()",
]);

interface Summary {
  type: "summary";
  worst: string | null;
  open: Array<{ id: string; kind: string; severity: string; title: string }>;
  responses: string[];
}

/**
 * `release watch` on a hardhat node, through the CLI: what others do on chain is caused for real
 * (impersonated key holders, the Safe app), and the alerts, the webhook deliveries and the
 * scraped metrics are asserted; a watcher killed with SIGKILL and restarted reports every alert
 * once; a reorg retracts what it dropped; a lagging and a forked endpoint are named.
 */
describe("release watch against a hardhat node", function () {
  this.timeout(600_000);
  let node: LoopbackNode;
  let stack: StackRecord;
  let work: string;

  const mine = (blocks = 3) => node.rpc("hardhat_mine", [`0x${blocks.toString(16)}`]);
  const grant = (role: string, account: string) =>
    sendAs(
      node,
      stack.timelock.address,
      stack.proxies.Vault!.address,
      ACCESS.encodeFunctionData("grantRole", [role, account]),
    );
  const revoke = (role: string, account: string) =>
    sendAs(
      node,
      stack.timelock.address,
      stack.proxies.Vault!.address,
      ACCESS.encodeFunctionData("revokeRole", [role, account]),
    );

  async function watchOnce(
    args: string[] = [],
    network = "loopback",
  ): Promise<CliResult & { alerts: Alert[]; summary: Summary }> {
    const result = await node.cli(["release", "watch", "--once", "--json", ...args, "--network", network]);
    const lines = result.stdout.split("\n").filter((l) => l.trim().startsWith("{"));
    const parsed = lines.map((l) => JSON.parse(l) as Alert | Summary);
    const summary = parsed.find((p): p is Summary => (p as Summary).type === "summary");
    expect(summary, `${result.stdout}\n${result.stderr}`).to.not.equal(undefined);
    return { ...result, alerts: parsed.filter((p): p is Alert => "kind" in p), summary: summary! };
  }

  before(async function () {
    node = await startLoopbackNode();
    work = await mkdtemp(path.join(tmpdir(), "release-watch-"));
    const deploy = await node.cli(["release", "deploy", "--network", "loopback"]);
    expect(deploy.code, deploy.stderr).to.equal(0);
    stack = JSON.parse(await readFile(path.join(node.recordsDir, "loopback", "stack.json"), "utf8")) as StackRecord;
  });
  after(async function () {
    await node?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it("backfills from the deploy block: the deploy is information, and it exits 0", async function () {
    await mine();
    const run = await watchOnce();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.alerts.length).to.be.greaterThan(5);
    expect(run.alerts.every((a) => a.severity === "info" && a.title.includes("(the deploy)"))).to.equal(true);
    expect(run.summary.worst).to.equal("info");
    // Nothing new: nothing reported twice.
    expect((await watchOnce()).alerts).to.deep.equal([]);
  });

  it("raises what others do on chain as critical, with the command that answers, to a webhook too, and exits 1", async function () {
    const received: Array<{ text: string; alert: Alert }> = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body) as { text: string; alert: Alert });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    try {
      // A key holder grants a role behind everyone's back.
      await grant(ROLES.PAUSER, STRANGER);
      // Owners schedule an operation from the Safe app that no proposal explains.
      const salt = hexlify(randomBytes(32));
      await executeOutside(
        node,
        stack.safes.owners.address,
        {
          to: stack.timelock.address,
          data: ACCESS.encodeFunctionData("schedule", [
            stack.proxies.Vault!.address,
            0,
            ACCESS.encodeFunctionData("grantRole", [ROLES.UPGRADER, STRANGER]),
            `0x${"00".repeat(32)}`,
            salt,
            3600,
          ]),
        },
        [OWNER_1, OWNER_2],
      );
      // A guardian transaction that fails inside the Safe (safeTxGas set: the Safe records the failure).
      await executeOutside(
        node,
        stack.safes.guardian.address,
        { to: stack.timelock.address, data: ACCESS.encodeFunctionData("updateDelay", [0]), safeTxGas: "100000" },
        [GUARDIAN_1],
      );
      // And the guardian Safe gains an owner outside any proposal.
      await executeOutside(
        node,
        stack.safes.guardian.address,
        { to: stack.safes.guardian.address, data: ACCESS.encodeFunctionData("addOwnerWithThreshold", [STRANGER, 1]) },
        [GUARDIAN_1],
      );
      await mine();
      const run = await watchOnce(["--webhook", hook]);
      expect(run.code).to.equal(1);
      const kinds = run.alerts.map((a) => a.kind);
      expect(kinds).to.include.members([
        "role-unexplained",
        "operation-unexplained",
        "execution-failure",
        "safe-unexplained",
        "drift",
      ]);
      const operation = run.alerts.find((a) => a.kind === "operation-unexplained")!;
      expect(operation.severity).to.equal("critical");
      expect(operation.action).to.match(/^npx hardhat release propose cancel 0x[0-9a-f]{64} --network loopback$/);
      const role = run.alerts.find((a) => a.kind === "role-unexplained")!;
      expect(role.title).to.include("PAUSER granted to");
      expect(role.action).to.equal("npx hardhat release propose pause --proxy Vault --network loopback");
      expect(run.summary.worst).to.equal("critical");
      // The webhook got every alert, Slack-readable and as data.
      expect(received.map((r) => r.alert.id).sort()).to.deep.equal(run.alerts.map((a) => a.id).sort());
      expect(received.find((r) => r.alert.kind === "role-unexplained")!.text).to.match(/^\[CRITICAL\] loopback: /);
      // Still open on the next run: the exit stays 1 until the stack is put right.
      const again = await watchOnce();
      expect(again.alerts).to.deep.equal([]);
      expect(again.code).to.equal(1);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("drafts the guardian's answer with --respond, once", async function () {
    const run = await watchOnce(["--respond"]);
    // The open conditions are not raised again, so nothing is drafted from them...
    expect(run.summary.responses).to.deep.equal([]);
    // ...but a new critical event is answered: another grant on the proxy, and a pause is drafted.
    await grant(ROLES.GUARDIAN, STRANGER);
    await mine();
    const answered = await watchOnce(["--respond"]);
    expect(answered.summary.responses.join("\n")).to.match(/drafted \d{3}-pause-Vault/);
    expect(answered.summary.responses.join("\n")).to.include("--network loopback");
    await grant(ROLES.UPGRADER, STRANGER);
    await mine();
    expect((await watchOnce(["--respond"])).summary.responses).to.deep.equal([]); // the pause is drafted already
  });

  it("serves Prometheus metrics while it runs, and counts alerts as they come", async function () {
    const port = await freeLoopbackPort();
    const child = node.spawnCli(["release", "watch", "--metrics-port", String(port), "--network", "loopback"]);
    const scrape = async (): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/metrics`);
          if (response.ok) return await response.text();
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("no metrics");
    };
    try {
      let text = await scrape();
      for (let i = 0; i < 100 && (metric(text, "release_watch_head_block") ?? 0) === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        text = await scrape();
      }
      expect(metric(text, "release_watch_head_block", { network: "loopback", chain_id: "31337" })).to.be.greaterThan(0);
      expect(metric(text, "release_watch_active_conditions", { severity: "critical" })).to.be.greaterThan(0);
      await revoke(ROLES.PAUSER, STRANGER);
      await mine();
      const critical = { severity: "critical", kind: "role-unexplained" };
      for (let i = 0; i < 100 && metric(text, "release_watch_alerts_total", critical) === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        text = await scrape();
      }
      expect(metric(text, "release_watch_alerts_total", critical)).to.equal(1);
      expect(metric(text, "release_watch_pending_operations")).to.equal(1);
      expect(metric(text, "release_watch_endpoint_up")).to.equal(1);
    } finally {
      await stopChild(child, "SIGTERM");
    }
  });

  it("reports every alert exactly once when killed with SIGKILL at random points and restarted", async function () {
    const state = path.join(work, "crash-state.json");
    const file = path.join(work, "crash-alerts.jsonl");
    const args = ["release", "watch", "--state", state, "--alerts-file", file, "--network", "loopback"];
    let child = node.spawnCli(args);
    const roles = [ROLES.PAUSER, ROLES.GUARDIAN, ROLES.UPGRADER];
    for (let i = 0; i < 9; i++) {
      const role = roles[i % 3]!;
      await (i % 2 === 0 ? grant(role, OWNER_1) : revoke(role, OWNER_1));
      await mine(1);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(Math.random() * 900)));
      if (i % 3 === 1) {
        await stopChild(child, "SIGKILL");
        child = node.spawnCli(args);
      }
    }
    await mine();
    await stopChild(child, "SIGKILL");
    const last = await node.cli([...args.slice(0, 2), "--once", ...args.slice(2)]);
    expect(last.stderr).to.not.match(/RS9001/);
    // The same watch from scratch, never interrupted, is the reference.
    const reference = path.join(work, "reference-alerts.jsonl");
    await node.cli([
      "release",
      "watch",
      "--once",
      "--state",
      path.join(work, "ref-state.json"),
      "--alerts-file",
      reference,
      "--network",
      "loopback",
    ]);
    const keys = async (f: string) =>
      (await readFile(f, "utf8"))
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Alert)
        .filter((a) => a.txHash !== null) // events; conditions depend on when each run looked
        .map((a) => `${a.id}#${a.status}`);
    const crashed = await keys(file);
    expect(new Set(crashed).size, "no alert twice").to.equal(crashed.length);
    expect(crashed.sort()).to.deep.equal((await keys(reference)).sort());
  });

  it("retracts the alerts of blocks that a reorg dropped", async function () {
    const snapshot = await node.rpc<string>("evm_snapshot", []);
    await grant(ROLES.PAUSER, OWNER_2);
    await mine();
    const before = await watchOnce();
    const raised =
      before.alerts.find((a) => a.kind === "role-unexplained" && a.title.includes(OWNER_2.slice(0, 6))) ??
      before.alerts.find((a) => a.kind === "role-unexplained")!;
    expect(raised).to.not.equal(undefined);
    await node.rpc("evm_revert", [snapshot]);
    await mine(8); // a longer chain without the grant
    const after = await watchOnce();
    const retracted = after.alerts.filter((a) => a.status === "retracted").map((a) => a.id);
    expect(retracted).to.include(raised.id);
    expect(after.alerts.filter((a) => a.status === "raised" && a.id === raised.id)).to.deep.equal([]);
  });

  it("names a lagging endpoint and endpoints that disagree on a block's hash", async function () {
    // The `failover` network: a misbehaving primary in front of the node, the node as fallback.
    await cp(path.join(node.recordsDir, "loopback"), path.join(node.recordsDir, "failover"), { recursive: true });
    await rm(path.join(node.recordsDir, "failover", "watch-state.json"), { force: true });
    await mine(30);
    for (const [fault, kind] of [
      ["lagging", "endpoint-lag"],
      ["forked", "endpoint-disagree"],
    ] as const) {
      const primary = await startFaultyRpc(fault, { upstream: node.url, lagBlocks: 20 });
      try {
        const state = path.join(work, `${fault}-state.json`);
        const result = await node.cli(
          ["release", "watch", "--once", "--json", "--state", state, "--network", "failover"],
          { RELEASE_TEST_PRIMARY_URL: primary.url },
        );
        const alerts = result.stdout
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Alert);
        expect(
          alerts.map((a) => a.kind),
          result.stderr,
        ).to.include(kind);
        expect(alerts.find((a) => a.kind === kind)!.action).to.equal(
          "npx hardhat release rpc-health --network failover",
        );
      } finally {
        await primary.close();
      }
    }
  });

  it("raises a pause made outside any proposal, and a failure rate above the threshold", async function () {
    const vault = stack.proxies.Vault!.address;
    // The guardian pauses from the Safe app with a transaction of its own (the pause --respond
    // drafted earlier is another transaction: a safeTxGas of its own makes another hash).
    await executeOutside(
      node,
      stack.safes.guardian.address,
      { to: vault, data: ACCESS.encodeFunctionData("pause"), safeTxGas: "200000" },
      [GUARDIAN_1],
    );
    await mine();
    const paused = await watchOnce();
    const pause = paused.alerts.find((a) => a.kind === "pause-unexplained")!;
    expect(pause.title).to.equal("Vault paused by guardian Safe: no proposal explains it");
    expect(pause.severity).to.equal("critical");
    expect(paused.code).to.equal(1);

    // Calls to the governed contracts that fail (a function the Vault does not have): the node mines
    // each with status 0 and answers the send with the revert. The watcher samples the head block's
    // transactions, so the last one is the head when it looks.
    for (let i = 0; i < 2; i++) {
      const send = node.rpc("eth_sendTransaction", [{ from: STRANGER, to: vault, data: "0xdeadbeef", gas: "0x30000" }]);
      await send.then(
        () => expect.fail("the call should revert"),
        (error: Error) => expect(error.message).to.include("reverted"),
      );
    }
    const failing = await watchOnce();
    const rate = failing.alerts.find((a) => a.kind === "failure-rate")!;
    expect(rate.title).to.match(/^[1-9]\d* of the last \d+ transactions to the governed contracts failed$/);
    expect(rate.severity).to.equal("warning");
  });

  it("refuses bad options with a coded error", async function () {
    for (const [args, code] of [
      [["--fail-on", "loud"], "RS1010"],
      [["--metrics-port", "http"], "RS1010"],
      [["--webhook", "ftp://example.org/x"], "RS1010"],
    ] as const) {
      const result = await node.cli(["release", "watch", "--once", ...args, "--network", "loopback"]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(code);
    }
    const unconfigured = await node.cli(["release", "watch", "--once", "--network", "unconfigured"]);
    expect(unconfigured.stderr).to.include("RS1001");
  });
});

/** A sample's value from Prometheus text, matching every label given (in any order). */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}
