import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { BrowserProvider } from "ethers";
import { network } from "hardhat";

import { sendTogether } from "../../../src/core/chain/send-journaled.js";
import type { TxContext } from "../../../src/core/chain/tx-context.js";
import { ReleaseError } from "../../../src/core/errors.js";
import type { ReleaseEvent } from "../../../src/core/events.js";
import { createFeeStrategy } from "../../../src/core/gas/create-fee-strategy.js";
import { resolveFeePolicy } from "../../../src/core/gas/resolve-fee-policy.js";
import { openRecords } from "../../../src/core/records/records-store.js";

const { ethers, provider } = await network.create();
const RECIPIENT = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const REVERTING = "0x00000000000000000000000000000000000dead2";

async function context(options: { confirmations?: number; onEvent?: (e: ReleaseEvent) => void } = {}) {
  const [signer] = await ethers.getSigners();
  const events: ReleaseEvent[] = [];
  const ctx: TxContext = {
    provider: ethers.provider,
    signer: signer!,
    records: openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-together-"))),
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
    now: () => new Date(0),
    fees: createFeeStrategy({ network: "default", rpc: provider, policy: resolveFeePolicy(undefined) }),
    confirmations: options.confirmations,
  };
  return { ctx, events, from: await signer!.getAddress() };
}

const mine = () => provider.request({ method: "evm_mine", params: [] });
const transfer = (step: string) => ({ step, title: step, request: { to: RECIPIENT, value: 1n } });

describe("sendTogether", function () {
  afterEach(async function () {
    await provider.request({ method: "evm_setAutomine", params: [true] });
  });

  it("sends independent transactions with consecutive nonces, each journaled before it leaves, and awaits them in one block", async function () {
    await provider.request({ method: "evm_setAutomine", params: [false] });
    let sent = 0;
    const { ctx, events, from } = await context({
      // Nothing is mined until all three are out: had a send waited for the one before, this would hang.
      onEvent: (e) => void (e.type === "tx-sent" && ++sent === 3 && mine()),
    });
    const first = await ethers.provider.getTransactionCount(from, "pending");
    const receipts = await sendTogether(ctx, [transfer("a"), transfer("b"), transfer("c")]);

    expect(new Set(receipts.map((r) => r.blockNumber)).size, "one block").to.equal(1);
    const nonces = await Promise.all(receipts.map(async (r) => (await ethers.provider.getTransaction(r.hash))!.nonce));
    expect(nonces).to.deep.equal([first, first + 1, first + 2]);
    const journal = (await ctx.records.readJournal()).map((e) => `${e.type}:${"step" in e ? e.step : ""}`);
    expect(journal.slice(0, 6)).to.deep.equal(["intent:a", "sent:a", "intent:b", "sent:b", "intent:c", "sent:c"]);
    expect(journal.slice(6).sort()).to.deep.equal(["mined:a", "mined:b", "mined:c"]);
    expect(events.filter((e) => e.type === "step-start").map((e) => e.type === "step-start" && e.title)).to.deep.equal([
      "a",
      "b",
      "c",
    ]);
  });

  it("sends none of them when any estimate finds a revert (RS2009)", async function () {
    await provider.request({ method: "hardhat_setCode", params: [REVERTING, "0x600080fd"] });
    const { ctx, events, from } = await context();
    const nonce = await ethers.provider.getTransactionCount(from, "pending");
    const error = await sendTogether(ctx, [
      transfer("a"),
      { step: "b", request: { to: REVERTING, data: "0x01" } },
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS2009");
    expect(await ethers.provider.getTransactionCount(from, "pending")).to.equal(nonce);
    expect(await ctx.records.readJournal()).to.deep.equal([]);
    expect(events).to.deep.equal([]);
  });

  it("stops at a transaction that cannot be sent, sends none after it, and still records those before it", async function () {
    const { ctx, from } = await context();
    let sends = 0;
    // The signer's endpoint refuses the second transaction outright.
    const refusing = new BrowserProvider({
      request: async ({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> => {
        if (method === "eth_sendTransaction" && ++sends === 2)
          throw Object.assign(new Error("refused"), { code: -32000 });
        return provider.request({ method, params });
      },
    });
    ctx.signer = await refusing.getSigner(from);
    const nonce = await ethers.provider.getTransactionCount(from, "latest");
    const error = await sendTogether(ctx, [transfer("a"), transfer("b"), transfer("c")]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code, String(error)).to.equal("RS2009");
    expect(await ethers.provider.getTransactionCount(from, "latest")).to.equal(nonce + 1);
    const journal = (await ctx.records.readJournal()).map((e) => `${e.type}:${"step" in e ? e.step : ""}`);
    expect(journal).to.deep.equal(["intent:a", "sent:a", "intent:b", "dropped:b", "mined:a"]);
  });

  it("waits for the network's confirmations, reporting each block, before it records the transaction as mined", async function () {
    let journaledBeforeConfirmed = false;
    const { ctx, events } = await context({
      confirmations: 3,
      onEvent: (e) => {
        if (e.type !== "tx-confirmations") return;
        void ctx.records.readJournal().then((entries) => {
          if (e.blocks < 3 && entries.some((entry) => entry.type === "mined")) journaledBeforeConfirmed = true;
          if (e.blocks < 3) void mine();
        });
      },
    });
    const [receipt] = await sendTogether(ctx, [transfer("a")]);
    const progress = events.flatMap((e) => (e.type === "tx-confirmations" ? [`${e.blocks}/${e.needed}`] : []));
    expect(progress).to.deep.equal(["1/3", "2/3", "3/3"]);
    expect(journaledBeforeConfirmed, "recorded as mined before its confirmations").to.equal(false);
    expect(await ethers.provider.getBlockNumber()).to.equal(receipt!.blockNumber + 2);
    const mined = (await ctx.records.readJournal()).filter((e) => e.type === "mined");
    expect(mined).to.have.length(1);
  });
});
