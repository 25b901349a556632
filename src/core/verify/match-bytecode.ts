import { getBytes, hexlify } from "ethers";

import type { Hex } from "../records/stack-record.js";
import type { CompiledCode } from "./compiled-code.js";

/**
 * - `exact`: the runtime code is the artifact's, byte for byte, once immutables are filled in;
 * - `metadata-differs`: the executable code is identical, only solc's metadata trailer (the hash
 *   of the sources and settings) differs: same behaviour, but the source in the repo is not
 *   literally the one that was compiled (comments, paths or settings changed);
 * - `mismatch`: different code;
 * - `no-code`: nothing is deployed at the address.
 */
export type BytecodeMatchStatus = "exact" | "metadata-differs" | "mismatch" | "no-code";

export interface BytecodeMatch {
  status: BytecodeMatchStatus;
  /** How many immutable slots were taken from the chain rather than compared. */
  immutables: number;
  /** For people, on a mismatch: the sizes, or that they are equal. */
  detail?: string;
}

/**
 * Compares deployed runtime code with a compiled contract, offline: the immutable slots (solc's
 * `immutableReferences`, zero-filled in the artifact, written by the constructor) are ignored,
 * and the CBOR metadata trailer (its length is in the last two bytes) is compared separately so a
 * metadata-only difference is told apart from different code.
 *
 * Library link references are not handled: the toolkit's contracts link none.
 *
 * @example
 * const match = matchBytecode(await provider.getCode(address), compiled);
 * if (match.status === "mismatch") refuse();
 */
export function matchBytecode(
  onChain: Hex,
  compiled: Pick<CompiledCode, "deployedBytecode" | "immutableReferences">,
): BytecodeMatch {
  const chain = getBytes(onChain);
  if (chain.length === 0) return { status: "no-code", immutables: 0 };
  const artifact = getBytes(compiled.deployedBytecode);

  // Security: only ranges inside the code are masked, and only there; everything else must be equal.
  const masked = new Uint8Array(chain);
  let immutables = 0;
  for (const ranges of Object.values(compiled.immutableReferences)) {
    for (const { start, length } of ranges) {
      if (start + length > masked.length) continue;
      masked.fill(0, start, start + length);
      immutables++;
    }
  }
  if (equal(masked, artifact)) return { status: "exact", immutables };
  if (equal(executable(masked), executable(artifact))) return { status: "metadata-differs", immutables };
  return {
    status: "mismatch",
    immutables,
    detail:
      chain.length === artifact.length
        ? `same size (${chain.length} bytes), different code`
        : `${chain.length} bytes on chain, ${artifact.length} bytes compiled`,
  };
}

/** The code without solc's CBOR metadata trailer; the whole code when it has no plausible trailer. */
function executable(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const length = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - length;
  // A trailer is a CBOR map (major type 5: 0xa0..0xbf); anything else is code that happens to end oddly.
  if (length === 0 || start < 0 || (code[start]! & 0xe0) !== 0xa0) return code;
  return code.subarray(0, start);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && hexlify(a) === hexlify(b);
}
