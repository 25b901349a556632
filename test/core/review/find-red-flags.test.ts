import { expect } from "chai";
import { Interface } from "ethers";

import type { ProposalRecord } from "../../../src/core/proposals/proposal-record.js";
import { encodeSchedule, NO_PREDECESSOR, TIMELOCK_ABI } from "../../../src/core/proposals/timelock-operation.js";
import type { Address, Hex } from "../../../src/core/records/stack-record.js";
import { decodeCalls, type KnownContract } from "../../../src/core/review/decode-calls.js";
import { findRedFlags, type FindRedFlagsParameters } from "../../../src/core/review/find-red-flags.js";
import { encodeMultiSend, MULTI_SEND_CALL_ONLY } from "../../../src/core/safe/multi-send.js";
import { loadSafeArtifact, SAFE_CONTRACTS } from "../../../src/core/safe/safe-artifacts.js";
import { hashSafeTx, newSafeTx, type SafeTx } from "../../../src/core/safe/safe-tx.js";

const OWNERS_SAFE = "0x1111111111111111111111111111111111111111" as Address;
const GUARDIAN_SAFE = "0x4444444444444444444444444444444444444444" as Address;
const VAULT = "0x2222222222222222222222222222222222222222" as Address;
const TIMELOCK = "0x3333333333333333333333333333333333333333" as Address;
const STRANGER = "0x000000000000000000000000000000000000dEaD" as Address;
const VAULT_ABI = ["function pause()", "function setDepositCap(uint256 cap)"];
const PAUSE = new Interface(VAULT_ABI).encodeFunctionData("pause") as Hex;
const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;
const SAFE_IFACE = new Interface(SAFE_ABI as never);

const KNOWN: Record<string, KnownContract> = {
  [VAULT]: { name: "Vault", role: "proxy", contract: "VaultV1", abi: VAULT_ABI },
  [TIMELOCK]: { name: "timelock", role: "timelock", contract: "TimelockController", abi: TIMELOCK_ABI },
  [OWNERS_SAFE]: { name: "owners Safe", role: "safe", contract: "Safe", abi: SAFE_ABI },
  [GUARDIAN_SAFE]: { name: "guardian Safe", role: "safe", contract: "Safe", abi: SAFE_ABI },
  [MULTI_SEND_CALL_ONLY]: { name: "MultiSendCallOnly", role: "multisend", contract: "MultiSendCallOnly", abi: [] },
};

/** The red flags of an otherwise healthy owners-Safe proposal whose only transaction is `tx`. */
function flagsFor(tx: SafeTx, override: Partial<FindRedFlagsParameters> = {}) {
  const hashes = hashSafeTx(31337, OWNERS_SAFE, tx);
  const proposal: ProposalRecord = {
    schemaVersion: 1,
    id: "001-test",
    kind: "pause",
    network: "default",
    chainId: 31337,
    description: "",
    createdAt: "",
    safe: { role: "owners", address: OWNERS_SAFE },
    actions: [],
    phases: [{ name: "direct", safeTx: tx, hashes, signatures: [], executed: null }],
    status: "drafted",
    history: [],
  };
  return findRedFlags({
    proposal,
    phase: { name: "direct", executed: false, storedHashes: hashes },
    tx,
    decoded: decodeCalls({ ...tx, known: KNOWN, implementations: {} }),
    hashes,
    chain: { network: "default", chainId: 31337, safeNonce: tx.nonce, safeDomainHash: null, safeTxHash: null },
    safes: { owners: OWNERS_SAFE, guardian: GUARDIAN_SAFE },
    otherNonces: [],
    signatures: [],
    timelock: null,
    implementation: null,
    simulation: { success: true, revertReason: null },
    ...override,
  });
}

const codes = (flags: ReturnType<typeof flagsFor>, severity = "danger") =>
  flags.filter((f) => f.severity === severity).map((f) => f.code);

describe("findRedFlags", function () {
  it("finds nothing in a plain call to a proxy of the stack", async function () {
    expect(flagsFor(newSafeTx({ to: VAULT, data: PAUSE, nonce: 3 }))).to.deep.equal([]);
  });

  it("flags a DELEGATECALL to anything but MultiSendCallOnly (RF-001)", async function () {
    const multiSend = SAFE_CONTRACTS.multiSendAddress.address; // the one that allows nested delegatecalls
    expect(codes(flagsFor(newSafeTx({ to: multiSend, data: PAUSE, nonce: 0, operation: 1 })))).to.include("RF-001");
  });

  it("accepts a DELEGATECALL to MultiSendCallOnly", async function () {
    const data = encodeMultiSend([{ to: VAULT, value: "0", data: PAUSE }]);
    expect(flagsFor(newSafeTx({ to: MULTI_SEND_CALL_ONLY, data, nonce: 0, operation: 1 }))).to.deep.equal([]);
  });

  it("flags a refund: non-zero gasPrice (RF-002)", async function () {
    expect(codes(flagsFor(newSafeTx({ to: VAULT, data: PAUSE, nonce: 0, gasPrice: "1" })))).to.deep.equal(["RF-002"]);
  });

  it("flags a refund: a gasToken (RF-002)", async function () {
    expect(codes(flagsFor(newSafeTx({ to: VAULT, data: PAUSE, nonce: 0, gasToken: STRANGER })))).to.deep.equal([
      "RF-002",
    ]);
  });

  it("flags a refund: a refundReceiver (RF-002)", async function () {
    expect(codes(flagsFor(newSafeTx({ to: VAULT, data: PAUSE, nonce: 0, refundReceiver: STRANGER })))).to.deep.equal([
      "RF-002",
    ]);
  });

  it("flags an owner change on the Safe itself as a change of power (RF-018)", async function () {
    const data = SAFE_IFACE.encodeFunctionData("addOwnerWithThreshold", [STRANGER, 1]) as Hex;
    expect(codes(flagsFor(newSafeTx({ to: OWNERS_SAFE, data, nonce: 0 })))).to.deep.equal(["RF-018"]);
  });

  it("flags a threshold change hidden in a multisend (RF-018)", async function () {
    const change = SAFE_IFACE.encodeFunctionData("changeThreshold", [1]) as Hex;
    const data = encodeMultiSend([
      { to: VAULT, value: "0", data: PAUSE },
      { to: OWNERS_SAFE, value: "0", data: change },
    ]);
    expect(codes(flagsFor(newSafeTx({ to: MULTI_SEND_CALL_ONLY, data, nonce: 0, operation: 1 })))).to.deep.equal([
      "RF-018",
    ]);
  });

  it("flags a module enabled through a timelock payload (RF-018)", async function () {
    const enable = SAFE_IFACE.encodeFunctionData("enableModule", [STRANGER]) as Hex;
    const data = encodeSchedule({
      targets: [GUARDIAN_SAFE],
      values: ["0"],
      payloads: [enable],
      predecessor: NO_PREDECESSOR,
      salt: NO_PREDECESSOR,
      delay: 3600,
    });
    expect(codes(flagsFor(newSafeTx({ to: TIMELOCK, data, nonce: 0 })))).to.deep.equal(["RF-018"]);
  });

  it("flags a guard or fallback handler change (RF-018)", async function () {
    for (const method of ["setGuard", "setFallbackHandler"]) {
      const data = SAFE_IFACE.encodeFunctionData(method, [STRANGER]) as Hex;
      expect(codes(flagsFor(newSafeTx({ to: OWNERS_SAFE, data, nonce: 0 }))), method).to.deep.equal(["RF-018"]);
    }
  });

  it("flags a value transfer (RF-004)", async function () {
    expect(codes(flagsFor(newSafeTx({ to: VAULT, data: PAUSE, nonce: 0, value: "1" })))).to.deep.equal(["RF-004"]);
  });

  it("flags an unknown target, also inside a multisend (RF-005)", async function () {
    const data = encodeMultiSend([{ to: STRANGER, value: "0", data: PAUSE }]);
    expect(codes(flagsFor(newSafeTx({ to: MULTI_SEND_CALL_ONLY, data, nonce: 0, operation: 1 })))).to.deep.equal([
      "RF-005",
    ]);
  });

  it("flags data a known contract's ABI does not know (RF-005)", async function () {
    expect(codes(flagsFor(newSafeTx({ to: VAULT, data: "0xdeadbeef", nonce: 0 })))).to.deep.equal(["RF-005"]);
  });

  it("flags a nonce already used on chain (RF-006)", async function () {
    const tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 1 });
    const flags = flagsFor(tx, {
      chain: { network: "default", chainId: 31337, safeNonce: 2, safeDomainHash: null, safeTxHash: null },
    });
    expect(codes(flags)).to.deep.equal(["RF-006"]);
  });

  it("notes a future nonce held back by pending proposals, not a danger (RF-006, info)", async function () {
    const tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 3 });
    const flags = flagsFor(tx, {
      chain: { network: "default", chainId: 31337, safeNonce: 2, safeDomainHash: null, safeTxHash: null },
      otherNonces: [{ proposal: "000-other", phase: "direct", nonce: 2 }],
    });
    expect(codes(flags)).to.deep.equal([]);
    expect(codes(flags, "info")).to.deep.equal(["RF-006"]);
    expect(codes(flags, "warning")).to.deep.equal([]);
  });

  it("flags a Safe whose own hashes differ from the recomputed ones (RF-016)", async function () {
    const tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 0 });
    const other: Hex = `0x${"ab".repeat(32)}`;
    const flags = flagsFor(tx, {
      chain: { network: "default", chainId: 31337, safeNonce: 0, safeDomainHash: other, safeTxHash: null },
    });
    expect(codes(flags)).to.deep.equal(["RF-016"]);
  });

  it("flags a proposal Safe that is not the stack's Safe for its role (RF-011)", async function () {
    const tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 0 });
    const flags = flagsFor(tx, { safes: { owners: GUARDIAN_SAFE, guardian: GUARDIAN_SAFE } });
    expect(codes(flags)).to.include("RF-011");
  });

  it("flags a failing simulation (RF-014)", async function () {
    const tx = newSafeTx({ to: VAULT, data: PAUSE, nonce: 0 });
    expect(codes(flagsFor(tx, { simulation: { success: false, revertReason: "EnforcedPause()" } }))).to.deep.equal([
      "RF-014",
    ]);
  });
});

describe("decodeCalls", function () {
  it("decodes a multisend of a timelock schedule of a proxy call, naming every layer", async function () {
    const setCap = new Interface(VAULT_ABI).encodeFunctionData("setDepositCap", [5n]) as Hex;
    const schedule = encodeSchedule({
      targets: [VAULT],
      values: ["0"],
      payloads: [setCap],
      predecessor: NO_PREDECESSOR,
      salt: NO_PREDECESSOR,
      delay: 60,
    });
    const data = encodeMultiSend([{ to: TIMELOCK, value: "0", data: schedule }]);
    const root = decodeCalls({
      to: MULTI_SEND_CALL_ONLY,
      value: "0",
      data,
      operation: 1,
      known: KNOWN,
      implementations: {},
    });
    expect(root).to.include({ toName: "MultiSendCallOnly", method: "multiSend(bytes)" });
    const timelock = root.inner[0]!;
    expect(timelock).to.include({ via: "multisend", toName: "timelock" });
    expect(timelock.timelock).to.include({ action: "schedule" });
    const proxy = timelock.inner[0]!;
    expect(proxy).to.include({ via: "timelock", toName: "Vault", method: "setDepositCap(uint256)" });
    expect(proxy.args).to.deep.equal([{ name: "cap", type: "uint256", value: "5" }]);
  });
});
