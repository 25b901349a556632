import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, getAddress, Interface } from "ethers";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { executeProposal } from "../../../src/core/proposals/execute-proposal.js";
import type { ProposalRecord } from "../../../src/core/proposals/proposal-record.js";
import { timelockOperationId } from "../../../src/core/proposals/timelock-operation.js";
import { openRecords, type RecordsStore } from "../../../src/core/records/records-store.js";
import type { Address, Hex, StackRecord } from "../../../src/core/records/stack-record.js";
import type { DecodedCall } from "../../../src/core/review/decode-calls.js";
import { reviewProposal, type ReviewReport } from "../../../src/core/review/review-proposal.js";
import { loadSafeArtifact } from "../../../src/core/safe/safe-artifacts.js";
import { hashSafeTx, safeTxArguments } from "../../../src/core/safe/safe-tx.js";
import { newTestChain, type TestChain } from "../../helpers/deploy.js";
import { GUARDIAN_1, OWNERS_2_OF_3, sign, proposeOn } from "../../helpers/proposals.js";

const STRANGER = "0x000000000000000000000000000000000000dEaD" as Address;

function dangerCodes(report: ReviewReport): string[] {
  return report.redFlags.filter((f) => f.severity === "danger").map((f) => f.code);
}

describe("reviewProposal", function () {
  this.timeout(120_000);

  let chain: TestChain;
  let stack: StackRecord;
  let pause: ProposalRecord;
  let upgrade: ProposalRecord;

  function review(id: string, records: RecordsStore = chain.records, network = "default") {
    return reviewProposal({
      provider: chain.connection.ethers.provider,
      network,
      records,
      artifacts: chain.runtime.artifacts,
      proposal: id,
    });
  }

  /** A records folder holding the stack and one edited copy of a proposal, so nothing else interferes. */
  async function reviewTampered(original: ProposalRecord, edit: (p: ProposalRecord) => void): Promise<ReviewReport> {
    const copy = structuredClone(original);
    edit(copy);
    const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-review-")));
    await records.writeStack(stack);
    await records.writeProposal(copy);
    return review(copy.id, records);
  }

  before(async function () {
    chain = await newTestChain();
    ({ stack } = await chain.deploy());
    pause = await proposeOn(chain, "pause", { proxy: "Vault" });
    await sign(chain, pause.id, GUARDIAN_1);
    pause = (await chain.records.readProposal(pause.id))!;
    upgrade = await proposeOn(chain, "upgrade", { proxy: "Vault", implementation: "VaultV2", call: "initializeV2()" });
  });

  it("shows a signed pause as the guardian's hardware wallet would, with hashes equal to the Safe's own", async function () {
    const report = await review(pause.id);
    expect(report.ok, JSON.stringify(report.redFlags)).to.equal(true);
    expect(report.redFlags).to.deep.equal([]);

    const safe = new Contract(
      stack.safes.guardian.address,
      loadSafeArtifact("safeSingletonAddress").abi as never,
      chain.connection.ethers.provider,
    );
    const tx = report.safeTx;
    expect(report.hashes.domainHash).to.equal(await safe.domainSeparator!());
    expect(report.hashes.safeTxHash).to.equal(await safe.getTransactionHash!(...safeTxArguments(tx), tx.nonce));
    expect(report.hashes).to.deep.equal(hashSafeTx(31337, stack.safes.guardian.address, tx));

    expect(report.calls).to.include({
      via: "safe",
      to: stack.proxies.Vault!.address,
      toName: "Vault",
      contract: "VaultV1",
      method: "pause()",
    });
    expect(report.safe).to.include({ threshold: 1, nonce: 0 });
    expect(report.validSignatures).to.equal(1);
    expect(report.signatures[0]).to.include({ signer: GUARDIAN_1, valid: true });
    expect(report.simulation!.success).to.equal(true);
    expect(Number(report.simulation!.gasEstimate)).to.be.greaterThan(0);
    expect(report.timelock).to.equal(null);
  });

  it("decodes an upgrade through the timelock down to the new implementation's initializer", async function () {
    const report = await review(upgrade.id);
    expect(dangerCodes(report), JSON.stringify(report.redFlags)).to.deep.equal([]);
    const schedule = report.calls;
    expect(schedule).to.include({
      toName: "timelock",
      method: "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
    });
    const proxyCall = schedule.inner[0]!;
    expect(proxyCall).to.include({ via: "timelock", toName: "Vault", method: "upgradeToAndCall(address,bytes)" });
    expect(proxyCall.args[0]!.value).to.equal(upgrade.implementation!.to);
    const init: DecodedCall = proxyCall.inner[0]!;
    expect(init).to.include({ via: "upgrade-init", contract: "VaultV2", method: "initializeV2()" });

    // The id comes from the decoded calldata, and equals the one TimelockController computes.
    expect(report.timelock!.id).to.equal(timelockOperationId(upgrade.timelock!.operation));
    const timelock = new Contract(
      stack.timelock.address,
      ["function hashOperation(address,uint256,bytes,bytes32,bytes32) view returns (bytes32)"],
      chain.connection.ethers.provider,
    );
    const op = upgrade.timelock!.operation;
    expect(report.timelock!.id).to.equal(
      await timelock.hashOperation!(op.targets[0], op.values[0], op.payloads[0], op.predecessor, op.salt),
    );
    expect(report.timelock).to.include({ action: "schedule", state: "unset", delay: 3600, eta: null });
    expect(report.implementation).to.include({
      contract: "VaultV2",
      codeMatch: "exact",
      decodedAddress: upgrade.implementation!.to,
    });
    expect(report.simulation!.success).to.equal(true);
    expect(report.validSignatures).to.equal(0);
  });

  it("refuses an unknown proposal id (RS3015)", async function () {
    try {
      await review("999-nothing-here");
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.UNKNOWN_PROPOSAL), String(error)).to.equal(true);
    }
  });

  it("flags a proposal made for another chainId (RF-008), never a clean review", async function () {
    const report = await reviewTampered(pause, (p) => {
      p.chainId = 1;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include.members(["RF-008", "RF-009", "RF-016"]);
  });

  it("flags a proposal made for another network name (RF-008)", async function () {
    const report = await review(pause.id, chain.records, "mainnet");
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include("RF-008");
  });

  it("flags edited calldata: stored hashes and signatures no longer match (RF-009, RF-010)", async function () {
    const report = await reviewTampered(pause, (p) => {
      p.phases[0]!.safeTx!.data = new Interface(["function unpause()"]).encodeFunctionData("unpause") as Hex;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include.members(["RF-009", "RF-010"]);
    expect(report.calls.method).to.equal("unpause()");
  });

  it("flags edited calldata even when the attacker also rewrote the stored hashes (RF-010, RF-014)", async function () {
    const report = await reviewTampered(pause, (p) => {
      const phase = p.phases[0]!;
      phase.safeTx!.data = new Interface(["function unpause()"]).encodeFunctionData("unpause") as Hex;
      phase.hashes = hashSafeTx(p.chainId, p.safe.address, phase.safeTx!);
    });
    expect(report.ok).to.equal(false);
    // The guardian's signature covers the old hash; and the guardian cannot unpause.
    expect(dangerCodes(report)).to.include.members(["RF-010", "RF-014"]);
    expect(dangerCodes(report)).not.to.include("RF-009");
  });

  it("flags an edited target that is not part of the stack (RF-005)", async function () {
    const report = await reviewTampered(pause, (p) => {
      const phase = p.phases[0]!;
      phase.safeTx!.to = STRANGER;
      phase.hashes = hashSafeTx(p.chainId, p.safe.address, phase.safeTx!);
      phase.signatures = [];
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include("RF-005");
    expect(report.calls.toName).to.equal(null);
  });

  it("flags an edited nonce that skips ahead of the Safe (RF-006) and breaks the hashes (RF-009)", async function () {
    const report = await reviewTampered(pause, (p) => {
      p.phases[0]!.safeTx!.nonce = 5;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include.members(["RF-006", "RF-009", "RF-010"]);
  });

  it("flags edited stored hashes (RF-009)", async function () {
    const report = await reviewTampered(pause, (p) => {
      p.phases[0]!.hashes!.safeTxHash = `0x${"11".repeat(32)}`;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.deep.equal(["RF-009"]);
  });

  it("flags an edited timelock operation id (RF-012)", async function () {
    const report = await reviewTampered(upgrade, (p) => {
      p.timelock!.id = `0x${"22".repeat(32)}`;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include("RF-012");
  });

  it("flags an upgrade whose file names another implementation than the calldata (RF-013)", async function () {
    const report = await reviewTampered(upgrade, (p) => {
      p.implementation!.to = getAddress(stack.proxies.Vault!.implementation) as Address;
    });
    expect(report.ok).to.equal(false);
    expect(dangerCodes(report)).to.include("RF-013");
  });

  it("warns of a nonce used by another pending proposal of the same Safe: only one can execute (RF-007)", async function () {
    const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-review-")));
    await records.writeStack(stack);
    await records.writeProposal(pause);
    await records.writeProposal({ ...structuredClone(pause), id: "900-pause-again" });
    const report = await review(pause.id, records);
    expect(dangerCodes(report)).to.deep.equal([]);
    expect(report.redFlags.filter((f) => f.severity === "warning").map((f) => f.code)).to.deep.equal(["RF-007"]);
  });

  it("after scheduling, reviews the execute phase: waiting until the ETA, simulation failing only as information", async function () {
    for (const owner of OWNERS_2_OF_3) await sign(chain, upgrade.id, owner);
    const scheduled = await executeProposal({
      ctx: chain.proposalContext(),
      tx: await chain.txContext(),
      proposal: upgrade.id,
    });
    const report = await review(upgrade.id);
    expect(report.phase).to.include({ name: "execute", index: 1 });
    expect(report.timelock).to.include({ action: "execute", state: "waiting", eta: scheduled.eta });
    expect(report.simulation!.success).to.equal(false);
    expect(report.simulation!.revertReason).to.contain("TimelockUnexpectedOperationState");
    expect(report.redFlags.find((f) => f.code === "RF-014")?.severity).to.equal("info");
    expect(report.ok, JSON.stringify(report.redFlags)).to.equal(true);

    await chain.connection.networkHelpers.time.increaseTo(scheduled.eta!);
    const ready = await review(upgrade.id);
    expect(ready.timelock!.state).to.equal("ready");
    expect(ready.simulation!.success).to.equal(true);
  });
});
