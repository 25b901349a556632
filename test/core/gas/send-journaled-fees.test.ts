import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { sendJournaled } from "../../../src/core/chain/send-journaled.js";
import type { TxContext } from "../../../src/core/chain/tx-context.js";
import { ReleaseError } from "../../../src/core/errors.js";
import type { ReleaseEvent } from "../../../src/core/events.js";
import { createFeeStrategy } from "../../../src/core/gas/create-fee-strategy.js";
import { resolveFeePolicy } from "../../../src/core/gas/resolve-fee-policy.js";
import { openRecords } from "../../../src/core/records/records-store.js";

const { ethers, provider } = await network.create();
const RECIPIENT = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

async function context(
  maxFeePerGas: bigint | null,
  urgent = false,
): Promise<{ ctx: TxContext; events: ReleaseEvent[] }> {
  const [signer] = await ethers.getSigners();
  const events: ReleaseEvent[] = [];
  const ctx: TxContext = {
    provider: ethers.provider,
    signer: signer!,
    records: openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-fees-"))),
    onEvent: (event) => events.push(event),
    now: () => new Date(0),
    fees: createFeeStrategy({
      network: "default",
      rpc: provider,
      policy: { ...resolveFeePolicy(undefined), maxFeePerGas },
      override: { urgent },
    }),
  };
  return { ctx, events };
}

describe("sendJournaled with a fee strategy", function () {
  it("refuses above the fee cap before anything is journaled or sent (RS5101)", async function () {
    const { ctx, events } = await context(1n);
    const from = await ctx.signer.getAddress();
    const nonce = await ethers.provider.getTransactionCount(from, "pending");
    const error = await sendJournaled(ctx, "transfer", { to: RECIPIENT, value: 1n }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS5101");
    expect(await ctx.records.readJournal()).to.deep.equal([]);
    expect(events).to.deep.equal([]);
    expect(await ethers.provider.getTransactionCount(from, "pending")).to.equal(nonce);
  });

  it("sends an urgent transaction whatever the cap, with the planned gas limit and fees", async function () {
    const { ctx, events } = await context(1n, true);
    const receipt = await sendJournaled(ctx, "pause", { to: RECIPIENT, value: 1n });
    expect(receipt.status).to.equal(1);
    const fees = events[0];
    expect(fees?.type).to.equal("tx-fees");
    const tx = await ethers.provider.getTransaction(receipt.hash);
    if (fees?.type !== "tx-fees" || fees.estimate.fees.type !== "eip1559") throw new Error("expected EIP-1559 fees");
    expect(tx?.gasLimit).to.equal(fees.estimate.gasLimit);
    expect(tx?.maxFeePerGas).to.equal(fees.estimate.fees.maxFeePerGas);
    expect(events.map((e) => e.type)).to.deep.equal(["tx-fees", "tx-sent"]);
  });

  it("turns a revert found while estimating into the step's failure (RS2009), with nothing journaled", async function () {
    const { ctx } = await context(null);
    // Calldata to an address whose code always reverts.
    const reverting = "0x00000000000000000000000000000000000dead1";
    await provider.request({ method: "hardhat_setCode", params: [reverting, "0x600080fd"] });
    const error = await sendJournaled(ctx, "call", { to: reverting, data: "0x01" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS2009");
    expect(await ctx.records.readJournal()).to.deep.equal([]);
  });
});
