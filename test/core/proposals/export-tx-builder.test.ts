import { expect } from "chai";
import { Interface } from "ethers";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import {
  exportTxBuilder,
  txBuilderChecksum,
  type TxBuilderBatch,
} from "../../../src/core/proposals/export-tx-builder.js";
import type { ProposalRecord } from "../../../src/core/proposals/proposal-record.js";
import type { Address, Hex } from "../../../src/core/records/stack-record.js";
import { encodeMultiSend, MULTI_SEND_CALL_ONLY } from "../../../src/core/safe/multi-send.js";
import { hashSafeTx, newSafeTx } from "../../../src/core/safe/safe-tx.js";

const SAFE = "0x1111111111111111111111111111111111111111" as Address;
const VAULT = "0x2222222222222222222222222222222222222222" as Address;
const OTHER = "0x3333333333333333333333333333333333333333" as Address;
const GOVERNED = new Interface(["function pause()", "function unpause()"]);
const PAUSE = GOVERNED.encodeFunctionData("pause") as Hex;

function proposal(tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 7 })): ProposalRecord {
  return {
    schemaVersion: 1,
    id: "001-pause-Vault",
    kind: "pause",
    network: "default",
    chainId: 31337,
    description: "Pause Vault",
    createdAt: "2026-01-01T00:00:00.000Z",
    safe: { role: "guardian", address: SAFE },
    actions: [],
    phases: [{ name: "direct", safeTx: tx, hashes: hashSafeTx(31337, SAFE, tx), signatures: [], executed: null }],
    status: "drafted",
    history: [],
  };
}

function exported(p: ProposalRecord = proposal()) {
  return exportTxBuilder({ proposal: p, network: "default", chainId: 31337, createdAt: 1_700_000_000_000 });
}

/** What the Transaction Builder does on import: drop `checksum`, hash the rest, compare. */
function validates(batch: TxBuilderBatch): boolean {
  const { checksum, ...meta } = batch.meta;
  return txBuilderChecksum({ ...batch, meta }) === checksum;
}

describe("exportTxBuilder", function () {
  it("computes the checksum of the Transaction Builder's own test vector", async function () {
    // safe-global/safe-react-apps apps/tx-builder/src/lib/checksum.test.js: addChecksum() of this
    // object (with its empty `checksum` key) gives 0x4ecbfd36...
    const vector = {
      version: "1.0",
      chainId: "4",
      createdAt: 1646321521061,
      meta: {
        name: "test batch file",
        txBuilderVersion: "1.4.0",
        checksum: "",
        createdFromSafeAddress: "0xDF8a1Ce35c9a6ACE153B4e0767942f1E2291a1Aa",
        createdFromOwnerAddress: "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6",
      },
      transactions: [
        {
          to: "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6",
          value: "0",
          contractMethod: {
            inputs: [{ internalType: "address", name: "paramAddress", type: "address" }],
            name: "testAddress",
            payable: false,
          },
          contractInputsValues: { paramAddress: "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6" },
        },
        {
          to: "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6",
          value: "0",
          contractMethod: {
            inputs: [{ internalType: "bool", name: "paramBool", type: "bool" }],
            name: "testBool",
            payable: false,
          },
          contractInputsValues: { paramAddress: "", paramBool: "false" },
        },
        {
          to: "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6",
          value: "2000000000000000000",
          data: "0x42f4579000000000000000000000000049d4450977e2c95362c13d3a31a09311e0ea26a6",
        },
      ],
    };
    expect(txBuilderChecksum(vector)).to.equal("0x4ecbfd364aa6759983915644e73f8bd411e85a2dc306f252a387c2728c4db64c");
  });

  it("exports one call for a direct transaction, with a checksum the app validates", async function () {
    const { batch, nonce, phase, safeTxHash } = exported();
    expect(batch).to.deep.include({ version: "1.0", chainId: "31337", createdAt: 1_700_000_000_000 });
    expect(batch.meta).to.include({ createdFromSafeAddress: SAFE, name: "001-pause-Vault (direct)" });
    expect(batch.meta.description).to.contain(safeTxHash).and.contain("nonce 7");
    expect(batch.transactions).to.deep.equal([{ to: VAULT, value: "0", data: PAUSE }]);
    expect([nonce, phase]).to.deep.equal([7, "direct"]);
    expect(validates(batch)).to.equal(true);
  });

  it("exports the inner calls of a MultiSendCallOnly batch", async function () {
    const calls = [
      { to: VAULT, value: "0", data: PAUSE },
      { to: OTHER, value: "0", data: PAUSE },
    ];
    const tx = newSafeTx({ to: MULTI_SEND_CALL_ONLY, data: encodeMultiSend(calls), nonce: 1, operation: 1 });
    const { batch } = exported(proposal(tx));
    expect(batch.transactions).to.deep.equal(calls);
    expect(validates(batch)).to.equal(true);
  });

  it("changes the checksum when any transaction field changes, not when the batch is renamed", async function () {
    const { batch } = exported();
    const base = txBuilderChecksum(batch);
    const edits: Array<(b: TxBuilderBatch) => void> = [
      (b) => (b.transactions[0]!.to = OTHER),
      (b) => (b.transactions[0]!.value = "1"),
      (b) => (b.transactions[0]!.data = GOVERNED.encodeFunctionData("unpause") as Hex),
      (b) => (b.chainId = "1"),
      (b) => (b.meta.createdFromSafeAddress = OTHER),
      (b) => (b.meta.description = "something else"),
    ];
    for (const edit of edits) {
      const copy = structuredClone(batch);
      edit(copy);
      expect(txBuilderChecksum(copy), edit.toString()).not.to.equal(base);
    }
    const renamed = structuredClone(batch);
    renamed.meta.name = "renamed in the app";
    expect(txBuilderChecksum(renamed)).to.equal(base);
  });

  it("serializes independently of key order", async function () {
    const { batch } = exported();
    const reversed = Object.fromEntries(Object.entries(batch).reverse()) as unknown as TxBuilderBatch;
    reversed.meta = Object.fromEntries(Object.entries(batch.meta).reverse()) as TxBuilderBatch["meta"];
    expect(txBuilderChecksum(reversed)).to.equal(txBuilderChecksum(batch));
  });

  it("refuses a proposal of another chainId (RS3014)", async function () {
    try {
      exportTxBuilder({ proposal: proposal(), network: "default", chainId: 1, createdAt: 0 });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.WRONG_NETWORK), String(error)).to.equal(true);
    }
  });

  it("refuses a proposal of another network name (RS3014)", async function () {
    try {
      exportTxBuilder({ proposal: proposal(), network: "sepolia", chainId: 31337, createdAt: 0 });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.WRONG_NETWORK), String(error)).to.equal(true);
    }
  });

  it("refuses an execute phase that is not built yet (RS3051)", async function () {
    const p = proposal();
    p.phases = [
      { ...p.phases[0]!, name: "schedule", executed: { txHash: `0x${"00".repeat(32)}`, block: 1, timestamp: 1 } },
      { name: "execute", safeTx: null, hashes: null, signatures: [], executed: null },
    ];
    try {
      exported(p);
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.PHASE_NOT_BUILT), String(error)).to.equal(true);
    }
  });

  it("refuses a delegatecall to anything but MultiSendCallOnly (RS3052)", async function () {
    try {
      exported(proposal(newSafeTx({ to: OTHER, data: PAUSE, nonce: 1, operation: 1 })));
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.NOT_EXPORTABLE), String(error)).to.equal(true);
    }
  });

  it("refuses a cancelled proposal (RS3010)", async function () {
    try {
      exported({ ...proposal(), status: "cancelled" });
      expect.fail("no error");
    } catch (error) {
      expect(ReleaseError.is(error, ERRORS.PROPOSAL.CANCELLED), String(error)).to.equal(true);
    }
  });
});
