import { decodeMultiSendData, encodeMultiSendData } from "@safe-global/protocol-kit";
import { getAddress, Interface } from "ethers";

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
 * Packs calls for MultiSendCallOnly with protocol-kit (operation 0 each: it refuses nested
 * delegatecalls). The Safe delegatecalls it, so every inner call is made by the Safe itself.
 */
export function encodeMultiSend(calls: Call[]): Hex {
  const packed = encodeMultiSendData(calls.map((c) => ({ to: c.to, value: c.value, data: c.data, operation: 0 })));
  return MULTI_SEND.encodeFunctionData("multiSend", [packed]) as Hex;
}

/**
 * Unpacks a multiSend(bytes) call with protocol-kit; undefined when `data` is not exactly one (a
 * batch that does not re-pack to the same bytes, truncated or padded, is not believed).
 */
export function decodeMultiSend(data: Hex): Array<Call & { operation: number }> | undefined {
  try {
    const calls = decodeMultiSendData(data).map((c) => ({
      operation: Number(c.operation ?? 0),
      to: getAddress(c.to) as Address,
      value: BigInt(c.value).toString(),
      data: (c.data === "" ? "0x" : c.data.toLowerCase()) as Hex,
    }));
    const packed = encodeMultiSendData(calls);
    return MULTI_SEND.encodeFunctionData("multiSend", [packed]).toLowerCase() === data.toLowerCase()
      ? calls
      : undefined;
  } catch {
    return undefined;
  }
}
