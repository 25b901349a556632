import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { RehearsalReport } from "../../src/core/rehearsal/rehearse-proposals.js";
import { encodeSchedule } from "../../src/core/proposals/timelock-operation.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1, OWNER_1, OWNER_2, spendSafeNonce } from "../helpers/proposals.js";

/**
 * Rehearsals through the CLI, forking a hardhat node that plays the live chain. The live chain and
 * its records must come out of every rehearsal exactly as they went in.
 */
describe("release rehearse against a fork of a hardhat node", function () {
  this.timeout(300_000);
  let node: LoopbackNode;
  const net = ["--network", "loopback"];

  async function run(args: string[]): Promise<CliResult> {
    return node.cli([...args, ...net]);
  }
  async function ok(args: string[]): Promise<CliResult> {
    const result = await run(args);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  async function propose(args: string[]): Promise<ProposalRecord> {
    return JSON.parse((await ok(["release", "propose", ...args, "--json"])).stdout) as ProposalRecord;
  }
  async function rehearse(args: string[]): Promise<{ result: CliResult; report: RehearsalReport }> {
    const result = await run(["release", "rehearse", ...args, "--json"]);
    try {
      return { result, report: JSON.parse(result.stdout) as RehearsalReport };
    } catch {
      return expect.fail(`release rehearse ${args.join(" ")} printed no report:\n${result.stdout}\n${result.stderr}`);
    }
  }
  const liveState = async () => ({
    block: await node.rpc<string>("eth_blockNumber"),
    proposals: await readFile(path.join(node.recordsDir, "loopback", "stack.json"), "utf8"),
  });

  let upgrade: ProposalRecord;
  before(async function () {
    node = await startLoopbackNode();
    await ok(["release", "deploy"]);
    upgrade = await propose(["upgrade", "--proxy", "Vault", "--implementation", "VaultV2", "--call", "initializeV2()"]);
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_1]);
  });
  after(async function () {
    await node.stop();
  });

  it("rehearses an upgrade through both timelock phases, supplying the missing signature, and leaves the live chain alone", async function () {
    const before = await liveState();
    const reportFile = path.join(node.recordsDir, "report.md");
    const { result, report } = await rehearse([upgrade.id, "--report", reportFile]);
    expect(result.code, `signal ${result.signal}\n${result.stderr}`).to.equal(0);
    const [rehearsal] = report.proposals;
    expect(rehearsal!.ok, JSON.stringify(rehearsal, null, 2)).to.equal(true);
    expect(rehearsal!.steps.map((s) => s.phase)).to.deep.equal(["schedule", "execute"]);
    expect(rehearsal!.steps[0]!.realSignatures).to.deep.equal([OWNER_1]);
    expect(rehearsal!.steps[0]!.impersonatedApprovals).to.have.length(1);
    expect(rehearsal!.steps[1]!.timeTravelTo).to.be.a("number");
    expect(rehearsal!.steps[1]!.events.join(" ")).to.contain("Upgraded");
    const names = rehearsal!.assertions.map((a) => a.name);
    expect(names).to.include("implementation code is VaultV2 as compiled");
    expect(names).to.include("project check: vault-solvency");
    expect(names).to.include("state preserved: totalDeposits()");
    const markdown = await readFile(reportFile, "utf8");
    expect(markdown).to.contain("## Rehearsal passed");
    expect(markdown).to.contain(`### ✅ ${upgrade.id}`);
    expect(await liveState()).to.deep.equal(before);
  });

  it("reports an upgrade whose implementation at the recorded address is not the compiled code", async function () {
    // Same behaviour, other bytes: a flipped byte in the metadata trailer (which hashes the sources).
    const code = await node.rpc<string>("eth_getCode", [upgrade.implementation!.to, "latest"]);
    const i = code.length - 20;
    const flipped = (Number.parseInt(code.slice(i, i + 2), 16) ^ 0xff).toString(16).padStart(2, "0");
    await node.rpc("hardhat_setCode", [
      upgrade.implementation!.to,
      `${code.slice(0, i)}${flipped}${code.slice(i + 2)}`,
    ]);
    try {
      const { result, report } = await rehearse([upgrade.id]);
      expect(result.code).to.equal(1);
      const failed = report.proposals[0]!.assertions.filter((a) => !a.ok).map((a) => a.name);
      expect(failed).to.include("implementation code is VaultV2 as compiled");
    } finally {
      await node.rpc("hardhat_setCode", [upgrade.implementation!.to, code]);
    }
  });

  it("reports an upgrade that breaks one of the project's post-upgrade checks", async function () {
    const result = await node.cli(["release", "rehearse", upgrade.id, "--json", ...net], {
      RELEASE_TEST_CHECKS_DIR: "test/fixtures/breaking-checks",
    });
    expect(result.code).to.equal(1);
    const report = JSON.parse(result.stdout) as RehearsalReport;
    const check = report.proposals[0]!.assertions.find((a) => a.name === "project check: version-stays-1")!;
    expect(check.ok).to.equal(false);
    expect(check.actual).to.contain("version 2.0.0");
  });

  it("reports an upgrade whose operation someone else already scheduled on the timelock", async function () {
    const snapshot = await node.rpc<string>("evm_snapshot");
    const owners = upgrade.safe.address;
    await node.rpc("hardhat_impersonateAccount", [owners]);
    await node.rpc("hardhat_setBalance", [owners, "0xDE0B6B3A7640000"]);
    await node.rpc("eth_sendTransaction", [
      { from: owners, to: upgrade.timelock!.address, data: encodeSchedule(upgrade.timelock!.operation) },
    ]);
    try {
      const { result, report } = await rehearse([upgrade.id]);
      expect(result.code).to.equal(1);
      expect(report.proposals[0]!.steps[0]!.error?.code).to.equal("RS3011");
    } finally {
      await node.rpc("evm_revert", [snapshot]);
    }
  });

  it("rehearses a pause and an instant rollback in order, after the upgrade went live", async function () {
    for (const signer of [OWNER_1, OWNER_2].slice(1)) await ok(["release", "sign", upgrade.id, "--signer", signer]);
    await ok(["release", "execute", upgrade.id]);
    await node.rpc("evm_increaseTime", [3601]);
    await node.rpc("evm_mine", []);
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_1]);
    await ok(["release", "sign", upgrade.id, "--signer", OWNER_2]);
    await ok(["release", "execute", upgrade.id]);

    const pause = await propose(["pause", "--proxy", "Vault"]);
    const rollback = await propose(["rollback", "--proxy", "Vault", "--instant"]);
    const { result, report } = await rehearse([pause.id, rollback.id]);
    expect(result.code, JSON.stringify(report, null, 2)).to.equal(0);
    expect(report.proposals.map((p) => [p.id, p.ok])).to.deep.equal([
      [pause.id, true],
      [rollback.id, true],
    ]);
    const paused = report.proposals[0]!.assertions.find((a) => a.name === "paused")!;
    expect(paused.actual).to.equal("true");
  });

  it("reports a proposal whose Safe nonce was used on the live chain as failed (stale nonce)", async function () {
    const queue = JSON.parse((await ok(["release", "proposals", "--json"])).stdout) as {
      proposals: Array<{ id: string; kind: string }>;
    };
    const rollback = queue.proposals.find((p) => p.kind === "instant-rollback")!;
    const draft = JSON.parse(
      await readFile(path.join(node.recordsDir, "loopback", "proposals", `${rollback.id}.json`), "utf8"),
    ) as ProposalRecord;
    // Outside the tool (say, in the Safe app), the guardian spends that nonce on something else:
    // a plain call to the Safe itself, signed and executed by a guardian owner.
    const provider = new JsonRpcProvider(node.url);
    const guardian = await provider.getSigner(GUARDIAN_1);
    const nonce = draft.phases[0]!.safeTx!.nonce;
    await spendSafeNonce(guardian, draft.safe.address, nonce - 1); // the drafted pause's nonce
    await spendSafeNonce(guardian, draft.safe.address, nonce); // the rollback's own
    provider.destroy();

    const { result, report } = await rehearse([rollback.id]);
    expect(result.code).to.equal(1);
    expect(report.ok).to.equal(false);
    expect(report.proposals[0]!.steps[0]!.error?.code).to.equal("RS3007");
    const markdown = await node.cli([
      "release",
      "rehearse",
      rollback.id,
      "--report",
      path.join(node.recordsDir, "stale.md"),
      ...net,
    ]);
    expect(markdown.code).to.equal(1);
    expect(await readFile(path.join(node.recordsDir, "stale.md"), "utf8")).to.contain("## Rehearsal FAILED");
  });

  it("refuses to start without a proposal to rehearse (RS6004)", async function () {
    const result = await run(["release", "rehearse"]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS6004");
  });

  it("refuses a post-upgrade check module it cannot use (RS6005)", async function () {
    const result = await node.cli(["release", "rehearse", upgrade.id, ...net], {
      RELEASE_TEST_CHECKS_DIR: "test/fixtures/unloadable-checks",
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS6005");
  });

  it("refuses an unreachable fork URL (RS6001)", async function () {
    const result = await run(["release", "rehearse", upgrade.id, "--fork-url", "http://127.0.0.1:9"]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS6001");
  });

  it("refuses a fork source that serves another chain (RS6002)", async function () {
    const other = await startLoopbackNode({ chainId: 4242 });
    try {
      const result = await run(["release", "rehearse", upgrade.id, "--fork-url", other.url]);
      expect(result.code).to.not.equal(0);
      expect(result.stderr + result.stdout).to.contain("RS6002");
    } finally {
      await other.stop();
    }
  });

  it("refuses a block past the head (RS6003)", async function () {
    const result = await run(["release", "rehearse", upgrade.id, "--block", "999999"]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS6003");
  });
});
