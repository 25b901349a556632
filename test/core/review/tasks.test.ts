import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { deployStack } from "../../../src/core/governance/deploy-stack.js";
import type { TxBuilderBatch } from "../../../src/core/proposals/export-tx-builder.js";
import type { ListProposalsResult } from "../../../src/core/proposals/list-proposals.js";
import { propose } from "../../../src/core/proposals/propose.js";
import { signProposal } from "../../../src/core/proposals/sign-proposal.js";
import type { ReviewReport } from "../../../src/core/review/review-proposal.js";
import { createTypedDataSigner, listAccounts } from "../../../src/plugin/proposal-deps.js";
import { openRuntime } from "../../../src/plugin/runtime.js";

const GUARDIAN = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

/** Runs a task in-process and returns what it printed (stdout is captured, not shown). */
async function run(id: string[], args: Record<string, unknown>): Promise<{ out: string; result: unknown }> {
  const original = process.stdout.write.bind(process.stdout);
  let out = "";
  process.stdout.write = (chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  };
  try {
    const result: unknown = await hre.tasks.getTask(id).run(args);
    return { out, result };
  } finally {
    process.stdout.write = original;
  }
}

describe("release review / export / proposals (tasks, in-process)", function () {
  this.timeout(120_000);

  let pauseId: string;

  before(async function () {
    // The tasks use the default in-process connection and its temporary records folder.
    const runtime = await openRuntime(hre);
    await deployStack({
      network: runtime.network,
      config: runtime.networkConfig(),
      ctx: await runtime.txContext(() => {}),
      artifacts: runtime.artifacts,
      validateImplementation: runtime.validateImplementation,
    });
    const ctx = runtime.proposalContext(() => {});
    const pause = await propose({ ctx, kind: "pause", options: { proxy: "Vault" } });
    pauseId = pause.id;
    await signProposal({
      ctx,
      proposal: pause.id,
      signer: GUARDIAN,
      accounts: await listAccounts(runtime.connection),
      signTypedData: createTypedDataSigner(runtime.connection),
    });
  });

  it("review --json prints only the report, ok for a clean proposal", async function () {
    const { out } = await run(["release", "review"], { proposal: pauseId, json: true });
    const report = JSON.parse(out) as ReviewReport;
    expect(report.ok).to.equal(true);
    expect(report.calls.method).to.equal("pause()");
  });

  it("review prints the hashes and the decoded call for people", async function () {
    const { out } = await run(["release", "review"], { proposal: pauseId, json: false });
    expect(out).to.contain("domain hash").and.contain("safeTxHash").and.contain("Vault");
    expect(out).to.contain("No danger found");
  });

  it("review refuses an unknown proposal id (RS3015)", async function () {
    try {
      await run(["release", "review"], { proposal: "404-missing", json: true });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.UNKNOWN_PROPOSAL), String(error)).to.equal(true);
    }
  });

  it("export prints a Transaction Builder batch to stdout", async function () {
    const { out } = await run(["release", "export"], { proposal: pauseId, format: "tx-builder", json: false });
    const batch = JSON.parse(out) as TxBuilderBatch;
    expect(batch.version).to.equal("1.0");
    expect(batch.chainId).to.equal("31337");
    expect(batch.transactions).to.have.length(1);
    expect(batch.meta.checksum).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("export --out writes the file", async function () {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "release-safety-export-")), "batch.json");
    await run(["release", "export"], { proposal: pauseId, format: "tx-builder", out: file, json: true });
    const batch = JSON.parse(await readFile(file, "utf8")) as TxBuilderBatch;
    expect(batch.meta.name).to.equal(`${pauseId} (direct)`);
  });

  it("export refuses an unknown --format (RS3050)", async function () {
    try {
      await run(["release", "export"], { proposal: pauseId, format: "csv", json: false });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.UNSUPPORTED_EXPORT_FORMAT), String(error)).to.equal(true);
    }
  });

  it("export refuses an unknown proposal id (RS3015)", async function () {
    try {
      await run(["release", "export"], { proposal: "404-missing", format: "tx-builder", json: false });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.UNKNOWN_PROPOSAL), String(error)).to.equal(true);
    }
  });

  it("proposals --json lists the queue with the next action", async function () {
    const { out } = await run(["release", "proposals"], { json: true });
    const result = JSON.parse(out) as ListProposalsResult;
    const entry = result.proposals.find((p) => p.id === pauseId);
    expect(entry).to.include({ signatures: 1, threshold: 1, nextAction: "execute" });
  });

  it("proposals prints a table for people", async function () {
    const { out } = await run(["release", "proposals"], { json: false });
    expect(out).to.contain(pauseId).and.contain("1/1").and.contain("execute");
  });
});
