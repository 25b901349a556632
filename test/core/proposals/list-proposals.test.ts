import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { executeProposal } from "../../../src/core/proposals/execute-proposal.js";
import { listProposals, type QueueEntry } from "../../../src/core/proposals/list-proposals.js";
import { openRecords, type RecordsStore } from "../../../src/core/records/records-store.js";
import { newTestChain, type TestChain } from "../../helpers/deploy.js";
import { GUARDIAN_1, OWNERS_2_OF_3, sign, proposeOn } from "../../helpers/proposals.js";

describe("listProposals", function () {
  this.timeout(120_000);

  let chain: TestChain;

  const execute = async (id: string) =>
    executeProposal({ ctx: chain.proposalContext(), tx: await chain.txContext(), proposal: id });

  async function queue(records: RecordsStore = chain.records): Promise<Record<string, QueueEntry>> {
    const result = await listProposals({ ...chain.proposalContext(), records });
    return Object.fromEntries(result.proposals.map((p) => [p.id, p]));
  }

  before(async function () {
    chain = await newTestChain();
    await chain.deploy();
  });

  it("refuses a network without records (RS7003)", async function () {
    const empty = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-queue-")));
    try {
      await queue(empty);
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.RECORDS.NOT_FOUND), String(error)).to.equal(true);
    }
  });

  it("follows an upgrade from drafted to done, and a pause beside it", async function () {
    const pause = await proposeOn(chain, "pause", { proxy: "Vault" });
    const upgrade = await proposeOn(chain, "upgrade", { proxy: "Vault", implementation: "VaultV2" });

    let q = await queue();
    expect(q[pause.id]).to.include({
      kind: "pause",
      target: "Vault",
      phase: "direct",
      nonce: 0,
      signatures: 0,
      threshold: 1,
      nextAction: "sign: 0 of 1",
    });
    expect(q[pause.id]!.safe.role).to.equal("guardian");
    expect(q[upgrade.id]).to.include({
      kind: "upgrade",
      phase: "schedule",
      threshold: 2,
      nextAction: "sign: 0 of 2",
      eta: null,
    });

    await sign(chain, upgrade.id, OWNERS_2_OF_3[0]);
    expect((await queue())[upgrade.id]).to.include({ signatures: 1, nextAction: "sign: 1 of 2" });
    await sign(chain, upgrade.id, OWNERS_2_OF_3[1]);
    expect((await queue())[upgrade.id]).to.include({ signatures: 2, nextAction: "execute (schedule)" });

    const scheduled = await execute(upgrade.id);
    q = await queue();
    expect(q[upgrade.id]).to.include({
      phase: "execute",
      status: "scheduled",
      eta: scheduled.eta,
      nextAction: "sign: 0 of 2",
    });
    for (const owner of OWNERS_2_OF_3) await sign(chain, upgrade.id, owner);
    q = await queue();
    expect(q[upgrade.id]!.nextAction).to.match(/^wait until \S+Z \(in 60 min\)$/);

    await chain.connection.networkHelpers.time.increaseTo(scheduled.eta!);
    expect((await queue())[upgrade.id]!.nextAction).to.equal("execute");
    await execute(upgrade.id);
    q = await queue();
    expect(q[upgrade.id]).to.include({ status: "executed", phase: null, nextAction: "done" });

    await sign(chain, pause.id, GUARDIAN_1);
    expect((await queue())[pause.id]!.nextAction).to.equal("execute");
  });

  it("counts only signatures that recover from the recomputed hash: an edited file shows fewer, not more", async function () {
    const pause = await proposeOn(chain, "pause", { proxy: "Vault" });
    await sign(chain, pause.id, GUARDIAN_1);
    const edited = (await chain.records.readProposal(pause.id))!;
    edited.phases[0]!.safeTx!.data = "0x3f4ba83a"; // unpause(), same stored signature
    await chain.records.writeProposal(edited);
    expect((await queue())[pause.id]).to.include({ signatures: 0, nextAction: "sign: 0 of 1" });
    await chain.records.writeProposal({ ...edited, status: "cancelled" });
  });

  it("says not to sign a proposal made for another chain, and shows cancelled ones as such", async function () {
    const pause = await proposeOn(chain, "pause", { proxy: "Vault" });
    await chain.records.writeProposal({ ...pause, id: `${pause.id}-elsewhere`, chainId: 1 });
    await chain.records.writeProposal({ ...pause, status: "cancelled" });
    const q = await queue();
    expect(q[`${pause.id}-elsewhere`]!.nextAction).to.equal("do not sign: made for default (chainId 1)");
    expect(q[pause.id]!.nextAction).to.equal("cancelled");
  });
});
