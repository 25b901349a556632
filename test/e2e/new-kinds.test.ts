import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { StackRecord } from "../../src/core/records/stack-record.js";
import type { ReviewReport } from "../../src/core/review/review-proposal.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1, OWNER_1, OWNER_2, STRANGER } from "../helpers/proposals.js";

/**
 * The two kinds added through the registry, driven through the CLI on a hardhat node: a timelock
 * delay change and a rotation of a Safe's signers. Both are changes of power their kind declares:
 * review shows them, sign and execute ask for the acknowledgement (RF-018), status stays clean.
 */
describe("new proposal kinds through the CLI: delay and signers", function () {
  this.timeout(300_000);
  let node: LoopbackNode;
  const net = ["--network", "loopback"];
  const run = (args: string[]) => node.cli([...args, ...net]);
  async function ok(args: string[]): Promise<CliResult> {
    const result = await run(args);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  async function refused(args: string[], code: string): Promise<void> {
    const result = await run(args);
    expect(result.code, result.stdout).to.not.equal(0);
    expect(result.stdout + result.stderr).to.contain(code);
  }
  const propose = async (args: string[]) =>
    JSON.parse((await ok(["release", "propose", ...args, "--json"])).stdout) as ProposalRecord;
  const review = async (id: string) =>
    JSON.parse((await run(["release", "review", id, "--json"])).stdout) as ReviewReport;
  const status = async () => JSON.parse((await run(["release", "status", "--json"])).stdout) as StackStatus;
  const stack = async () =>
    JSON.parse(await readFile(path.join(node.recordsDir, "loopback", "stack.json"), "utf8")) as StackRecord;
  async function passTime(seconds: number) {
    await node.rpc("evm_increaseTime", [seconds]);
    await node.rpc("evm_mine", []);
  }

  before(async function () {
    node = await startLoopbackNode();
    await ok(["release", "deploy"]);
  });
  after(async function () {
    await node.stop();
  });

  it("raises the timelock delay: a declared change of power, acknowledged, scheduled, executed, recorded", async function () {
    const delay = await propose(["delay", "--delay", "2h"]);
    const report = await review(delay.id);
    expect(report.ok, JSON.stringify(report.redFlags)).to.equal(true);
    expect(report.redFlags.find((f) => f.code === "RF-018")?.severity).to.equal("warning");
    expect(report.summary.join("\n")).to.contain("updateDelay(7200)");
    await refused(["release", "sign", delay.id, "--signer", OWNER_1], "RS3027");
    for (const owner of [OWNER_1, OWNER_2])
      await ok(["release", "sign", delay.id, "--signer", owner, "--acknowledge", "RF-018"]);
    await ok(["release", "execute", delay.id, "--acknowledge", "RF-018"]);
    await passTime(3601);
    for (const owner of [OWNER_1, OWNER_2])
      await ok(["release", "sign", delay.id, "--signer", owner, "--acknowledge", "RF-018"]);
    await ok(["release", "execute", delay.id, "--acknowledge", "RF-018"]);
    const after = await status();
    expect(after.timelock.minDelay).to.equal(7200);
    expect(after.ok, JSON.stringify(after.findings)).to.equal(true);
    expect((await stack()).timelock.minDelay).to.equal(7200);
    const recorded = JSON.parse(
      await readFile(path.join(node.recordsDir, "loopback", "proposals", `${delay.id}.json`), "utf8"),
    ) as ProposalRecord;
    expect(recorded.phases[0]!.acknowledgements!.map((a) => [a.code, a.by])).to.deep.include(["RF-018", OWNER_1]);
  });

  it("a lower delay is a warning of its own (RF-021), no delay at all a danger that nothing signs", async function () {
    const lower = await propose(["delay", "--delay", "90m"]);
    const flags = (await review(lower.id)).redFlags;
    expect(flags.filter((f) => f.severity === "warning").map((f) => f.code)).to.include.members(["RF-018", "RF-021"]);
    const none = await propose(["delay", "--delay", "0"]);
    expect((await review(none.id)).ok).to.equal(false);
    await refused(["release", "sign", none.id, "--signer", OWNER_1, "--acknowledge", "RF-018,RF-021"], "RS3026");
  });

  it("rotates the guardian Safe's signers: add an owner and raise the threshold, in one Safe transaction to itself", async function () {
    const rotation = await propose(["signers", "--safe", "guardian", "--add", STRANGER, "--threshold", "2"]);
    expect(rotation.safe.role).to.equal("guardian");
    expect(rotation.phases[0]!.safeTx!.operation).to.equal(1); // MultiSendCallOnly: add, then threshold
    const report = await review(rotation.id);
    expect(report.ok).to.equal(true);
    expect(report.redFlags.filter((f) => f.code === "RF-018").every((f) => f.severity === "warning")).to.equal(true);
    await ok(["release", "sign", rotation.id, "--signer", GUARDIAN_1, "--acknowledge", "RF-018"]);
    await ok(["release", "execute", rotation.id, "--acknowledge", "RF-018"]);
    const after = await status();
    const guardian = after.safes.find((s) => s.role === "guardian")!;
    expect(guardian.owners).to.include(STRANGER);
    expect(guardian.threshold).to.equal(2);
    expect(after.ok, JSON.stringify(after.findings)).to.equal(true);
    expect((await stack()).safes.guardian.owners).to.include(STRANGER);
  });

  it("refuses a rotation that changes nothing, or removes a stranger (RS1010)", async function () {
    await refused(["release", "propose", "signers", "--safe", "owners", "--remove", STRANGER], "RS1010");
    await refused(["release", "propose", "signers", "--safe", "owners", "--threshold", "2"], "RS1010");
    await refused(["release", "propose", "signers", "--safe", "owners", "--threshold", "9"], "RS1010");
  });
});
