import { concat, dataLength, getAddress, getBytes, hexlify, Interface, solidityPacked, toBigInt } from "ethers";

import type { Address, Hex } from "../records/stack-record.js";
import { SAFE_CONTRACTS } from "./safe-artifacts.js";

export interface Call {
  to: Address;
  value: string;
  data: Hex;
}

const MULTI_SEND = new Interface(["function multiSend(bytes transactions)"]);
export const MULTI_SEND_CALL_ONLY: Address = SAFE_CONTRACTS.multiSendCallOnlyAddress.address;

/**
 * Packs calls for MultiSendCallOnly (operation 0 each: it refuses nested delegatecalls). The Safe
 * delegatecalls it, so every inner call is made by the Safe itself.
 */
export function encodeMultiSend(calls: Call[]): Hex {
  const packed = concat(
    calls.map((c) =>
      solidityPacked(
        ["uint8", "address", "uint256", "uint256", "bytes"],
        [0, c.to, c.value, dataLength(c.data), c.data],
      ),
    ),
  );
  return MULTI_SEND.encodeFunctionData("multiSend", [packed]) as Hex;
}

/** Unpacks a multiSend(bytes) call; undefined when `data` is not one. */
export function decodeMultiSend(data: Hex): Array<Call & { operation: number }> | undefined {
  let packed: Uint8Array;
  try {
    packed = getBytes((MULTI_SEND.decodeFunctionData("multiSend", data) as unknown as [string])[0]);
  } catch {
    return undefined;
  }
  const calls: Array<Call & { operation: number }> = [];
  let i = 0;
  while (i < packed.length) {
    const operation = packed[i]!;
    const to = getAddress(hexlify(packed.slice(i + 1, i + 21))) as Address;
    const value = toBigInt(packed.slice(i + 21, i + 53)).toString();
    const length = Number(toBigInt(packed.slice(i + 53, i + 85)));
    const callData = hexlify(packed.slice(i + 85, i + 85 + length)) as Hex;
    calls.push({ operation, to, value, data: callData });
    i += 85 + length;
  }
  return calls;
}
