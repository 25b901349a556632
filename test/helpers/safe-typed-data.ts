// The SafeTx EIP-712 typed data written out by hand and signed with ethers: an encoding
// independent of protocol-kit (which the toolkit uses), so tests cross-check the two, the way a
// hardware wallet or another Safe client would sign.
import type { Signer } from "ethers";

import type { Hex } from "../../src/core/records/stack-record.js";
import type { SafeTx } from "../../src/core/safe/safe-tx.js";

export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** EIP712Domain(uint256 chainId,address verifyingContract): the domain of Safe >= 1.3.0. */
export function safeDomain(chainId: number, safe: string) {
  return { chainId, verifyingContract: safe };
}

/** An owner's EIP-712 signature of `tx`, made by ethers from the hand-written types. */
export async function signSafeTx(owner: Signer, chainId: number, safe: string, tx: SafeTx): Promise<Hex> {
  return (await owner.signTypedData(safeDomain(chainId, safe), SAFE_TX_TYPES, tx)) as Hex;
}
