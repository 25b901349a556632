import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import type { JournalEntry } from "../../src/core/records/journal.js";
import { startFaultyRpc, type FaultyRpc } from "../helpers/faulty-rpc.js";
import { startLoopbackNode, type CliResult, type LoopbackNode } from "../helpers/loopback.js";
import { GUARDIAN_1, OWNER_1, OWNER_2 } from "../helpers/proposals.js";

/**
 * "A sent transaction is never reported unsent", and one endpoint is served like several: an
 * endpoint that passes the transaction on and then hangs, with and without a fallback, and an
 * endpoint that hangs from the start, all through the CLI against a hardhat node.
 */
describe("a transaction's fate when its endpoint hangs after sending (CLI against a hardhat node)", function () {
  this.timeout(300_000);
  let node: LoopbackNode;
  let hangsAfterSend: FaultyRpc;
  let hung: FaultyRpc;

  const cli = (args: string[], primary?: string) =>
    node.cli(args, primary === undefined ? {} : { RELEASE_TEST_PRIMARY_URL: primary });
  async function ok(args: string[], primary?: string): Promise<CliResult> {
    const result = await cli(args, primary);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }
  const journal = async (network: string) =>
    (await readFile(path.join(node.recordsDir, network, "journal.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as JournalEntry);

  /** A proposal drafted and signed on `network`, ready to execute. */
  async function signed(network: string, kind: "pause" | "unpause", signers: string[]): Promise<string> {
    const proposal = JSON.parse(
      (await ok(["release", "propose", kind, "--proxy", "Vault", "--json", "--network", network])).stdout,
    ) as ProposalRecord;
    for (const signer of signers) await ok(["release", "sign", proposal.id, "--signer", signer, "--network", network]);
    return proposal.id;
  }

  async function expectExecutedDespiteHang(network: string, id: string, phase: string, status: string) {
    const result = await cli(["release", "execute", id, "--network", network, "--json"], hangsAfterSend.url);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const proposal = JSON.parse(
      await readFile(path.join(node.recordsDir, network, "proposals", `${id}.json`), "utf8"),
    ) as ProposalRecord;
    expect(proposal.status).to.equal(status);
    const entries = await journal(network);
    const step = entries.filter((e) => "step" in e && e.step === `proposal:${id}:${phase}`);
    expect(step.map((e) => e.type)).to.deep.equal(["intent", "sent", "mined"]);
    // The signed transaction was journaled before it was posted.
    const broadcast = entries.find((e) => e.type === "broadcast" && e.hash === (step[1] as { hash: string }).hash);
    expect(broadcast, "no broadcast entry for the sent hash").to.not.equal(undefined);
    expect(entries.some((e) => e.type === "dropped")).to.equal(false);
  }

  before(async function () {
    node = await startLoopbackNode();
    hangsAfterSend = await startFaultyRpc("hang-after-send", { upstream: node.url, hangMs: 30_000 });
    hung = await startFaultyRpc("hang", { hangMs: 30_000 });
    await ok(["release", "deploy", "--network", "failover"]);
    await ok(["release", "deploy", "--network", "single"]);
  });
  after(async function () {
    await hangsAfterSend.close();
    await hung.close();
    await node.stop();
  });

  it("with a fallback endpoint: execute records the mined transaction, never 'not sent'", async function () {
    const id = await signed("failover", "pause", [GUARDIAN_1]);
    await expectExecutedDespiteHang("failover", id, "direct", "executed");
  });

  it("with its only endpoint: execute still finds the transaction it sent, and records it", async function () {
    // "single" has records of its own for the same stack (the same node): the vault is paused now.
    const id = await signed("single", "unpause", [OWNER_1, OWNER_2]);
    await expectExecutedDespiteHang("single", id, "schedule", "scheduled");
  });

  it("a single hung endpoint: status ends in seconds with a coded error, no stack trace", async function () {
    const result = await cli(["release", "status", "--network", "single"], hung.url);
    const output = result.stdout + result.stderr;
    expect(result.code).to.not.equal(0);
    expect(output).to.contain("RS5002");
    expect(output).to.not.match(/\n\s+at .*:\d+:\d+/);
  });
});
