import { expect } from "chai";

import type { CompiledCode } from "../../../src/core/verify/compiled-code.js";
import { matchBytecode } from "../../../src/core/verify/match-bytecode.js";

// A small runtime code: 8 bytes of code, a 32-byte immutable slot at offset 8, and a CBOR metadata
// trailer `a1 65 "bzzr0" 42 <2 bytes>` whose length (10) is in the last two bytes.
const CODE = "6080604052348015";
const ZERO_SLOT = "00".repeat(32);
const trailer = (hash: string) => `a165627a7a723042${hash}000a`;
const compiled = (
  code: string,
  refs: Record<string, Array<{ start: number; length: number }>> = {},
): Pick<CompiledCode, "deployedBytecode" | "immutableReferences"> => ({
  deployedBytecode: `0x${code}`,
  immutableReferences: refs,
});
const IMMUTABLE = { "7": [{ start: 8, length: 32 }] };

describe("matchBytecode", function () {
  it("calls identical code exact", function () {
    const code = `${CODE}${ZERO_SLOT}${trailer("1234")}`;
    expect(matchBytecode(`0x${code}`, compiled(code))).to.deep.equal({ status: "exact", immutables: 0 });
  });

  it("takes immutables from the chain: code with a constructor-set value is still exact", function () {
    const artifact = `${CODE}${ZERO_SLOT}${trailer("1234")}`;
    const onChain = `${CODE}${"ab".repeat(32)}${trailer("1234")}`;
    expect(matchBytecode(`0x${onChain}`, compiled(artifact, IMMUTABLE))).to.deep.equal({
      status: "exact",
      immutables: 1,
    });
  });

  it("does not ignore the same bytes when they are not an immutable slot", function () {
    const artifact = `${CODE}${ZERO_SLOT}${trailer("1234")}`;
    const onChain = `${CODE}${"ab".repeat(32)}${trailer("1234")}`;
    expect(matchBytecode(`0x${onChain}`, compiled(artifact)).status).to.equal("mismatch");
  });

  it("tells a metadata-only difference from different code", function () {
    const artifact = `${CODE}${ZERO_SLOT}${trailer("1234")}`;
    const onChain = `${CODE}${ZERO_SLOT}${trailer("9999")}`;
    expect(matchBytecode(`0x${onChain}`, compiled(artifact)).status).to.equal("metadata-differs");
  });

  it("reports a different contract at the address as a mismatch, with the sizes", function () {
    const artifact = `${CODE}${ZERO_SLOT}${trailer("1234")}`;
    const onChain = `6080604052600080fd${trailer("1234")}`;
    const match = matchBytecode(`0x${onChain}`, compiled(artifact));
    expect(match.status).to.equal("mismatch");
    expect(match.detail).to.contain("bytes on chain");
  });

  it("reports an address without code", function () {
    expect(matchBytecode("0x", compiled(CODE)).status).to.equal("no-code");
  });

  it("compares code without a plausible metadata trailer in full", function () {
    expect(matchBytecode("0x60806040ffff", compiled("60806040fffe")).status).to.equal("mismatch");
    expect(matchBytecode("0x60806040ffff", compiled("60806040ffff")).status).to.equal("exact");
  });
});
