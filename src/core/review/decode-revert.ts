import type { ErrorFragment } from "ethers";
import { AbiCoder, Interface } from "ethers";

import type { Hex } from "../records/stack-record.js";

const PANIC_REASONS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialized function",
};

/**
 * Turns revert data into words: `Error(string)`, `Panic(uint256)`, a Safe `GS0xx` code, or a
 * custom error of any of the given ABIs (`DepositCapExceeded(cap=1, total=2)`). Unknown data is
 * shown raw rather than dropped, so nothing is hidden from a signer.
 *
 * JSON-RPC: none.
 */
export function decodeRevert(data: Hex, abis: ReadonlyArray<readonly unknown[]>): string {
  if (data === "0x" || data.length < 10) return "reverted without a reason";
  const selector = data.slice(0, 10).toLowerCase();
  const coder = AbiCoder.defaultAbiCoder();
  try {
    if (selector === "0x08c379a0") return `Error("${coder.decode(["string"], `0x${data.slice(10)}`)[0] as string}")`;
    if (selector === "0x4e487b71") {
      const code = Number(coder.decode(["uint256"], `0x${data.slice(10)}`)[0] as bigint);
      return `Panic(0x${code.toString(16).padStart(2, "0")}: ${PANIC_REASONS[code] ?? "unknown panic"})`;
    }
  } catch {
    return `undecodable revert data ${data}`;
  }
  for (const abi of abis) {
    const iface = new Interface(abi.filter((f) => (f as { type?: string }).type === "error") as never);
    let fragment: ErrorFragment | null = null;
    try {
      fragment = iface.getError(selector);
    } catch {
      fragment = null;
    }
    if (fragment === null) continue;
    try {
      const args = iface.decodeErrorResult(fragment, data);
      const shown = fragment.inputs.map((input, i) => `${input.name || i}=${String(args[i])}`);
      return `${fragment.name}(${shown.join(", ")})`;
    } catch {
      continue;
    }
  }
  return `unknown error ${selector} (data ${data})`;
}
