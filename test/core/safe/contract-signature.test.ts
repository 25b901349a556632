import { buildContractSignature, buildSignatureBytes, EthSafeSignature } from "@safe-global/protocol-kit";
import { expect } from "chai";

import { encodeSignatures, readContractSignature, serviceSignature } from "../../../src/core/safe/safe-tx.js";
import type { Address, Hex } from "../../../src/core/types.js";

const NESTED = "0x1234567890AbcdEF1234567890aBcdef12345678" as Address;
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
const INNER = `0x${"ab".repeat(64)}1f` as Hex; // the nested Safe's owner's eth_sign signature
const EOA_SIGNATURE = `0x${"cd".repeat(64)}1b` as Hex;

describe("nested Safe (EIP-1271) signatures, in protocol-kit's encoding", function () {
  it("reads the encoding protocol-kit gives one contract signature, and writes it back identically", async function () {
    const encoded = buildSignatureBytes([await buildContractSignature([new EthSafeSignature(OWNER, INNER)], NESTED)]);
    const read = readContractSignature(encoded);
    expect(read).to.deep.equal({ signer: NESTED, data: INNER, kind: "contract" });
    expect(serviceSignature(read!)).to.equal(encoded);
  });

  it("packs a contract signature after the static parts for execTransaction, as protocol-kit does", function () {
    const ours = encodeSignatures([
      { signer: NESTED, data: INNER, kind: "contract" },
      { signer: OWNER, data: EOA_SIGNATURE, kind: "eip712" },
    ]);
    const theirs = buildSignatureBytes([
      new EthSafeSignature(NESTED, INNER, true),
      new EthSafeSignature(OWNER, EOA_SIGNATURE),
    ]);
    expect(ours).to.equal(theirs);
    // Two static parts of 65 bytes, then the nested Safe's bytes at offset 130.
    expect(ours.length).to.equal(2 + 2 * (65 * 2 + 32 + 65));
  });

  it("is not read past 8 KiB: a nested Safe's owners' signatures, not an arbitrarily large call", function () {
    const encode = (bytes: number) =>
      `0x${NESTED.slice(2).padStart(64, "0")}${"41".padStart(64, "0")}00${bytes.toString(16).padStart(64, "0")}${"11".repeat(bytes)}`;
    expect(readContractSignature(encode(8192 - 97))?.signer).to.equal(NESTED);
    expect(readContractSignature(encode(8192 - 96))).to.equal(undefined);
  });

  for (const [name, raw] of [
    ["a 65-byte EOA signature", EOA_SIGNATURE],
    [
      "v other than 0",
      `0x${NESTED.slice(2).padStart(64, "0")}${"41".padStart(64, "0")}01${"41".padStart(64, "0")}${"11".repeat(65)}`,
    ],
    [
      "an offset other than 65",
      `0x${NESTED.slice(2).padStart(64, "0")}${"82".padStart(64, "0")}00${"41".padStart(64, "0")}${"11".repeat(65)}`,
    ],
    [
      "a length that does not match the bytes",
      `0x${NESTED.slice(2).padStart(64, "0")}${"41".padStart(64, "0")}00${"40".padStart(64, "0")}${"11".repeat(65)}`,
    ],
    [
      "a signer with high bytes set",
      `0x${"ff".repeat(12)}${NESTED.slice(2)}${"41".padStart(64, "0")}00${"41".padStart(64, "0")}${"11".repeat(65)}`,
    ],
    ["odd hex", "0x123"],
  ] as const) {
    it(`is not a contract signature: ${name}`, function () {
      expect(readContractSignature(raw)).to.equal(undefined);
    });
  }
});
