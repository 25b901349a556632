import {
  buildSignatureBytes,
  calculateSafeTransactionHash,
  EthSafeSignature,
  generatePreValidatedSignature,
  preimageSafeTransactionHash,
} from "@safe-global/protocol-kit";
import { concat, getAddress, getBytes, hashMessage, Interface, recoverAddress, Signature, ZeroAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { loadSafeArtifact, SAFE_VERSION } from "./safe-artifacts.js";
import type { Address, Hex } from "../records/stack-record.js";

/** A Safe transaction, field for field as Safe v1.3+ hashes it (EIP-712 type `SafeTx`). Numbers as decimal strings. */
export interface SafeTx {
  to: Address;
  value: string;
  data: Hex;
  /** 0 = CALL, 1 = DELEGATECALL (only ever to MultiSendCallOnly). */
  operation: 0 | 1;
  safeTxGas: string;
  baseGas: string;
  gasPrice: string;
  gasToken: Address;
  refundReceiver: Address;
  nonce: number;
}

/** The three hashes a signer compares: a hardware wallet signing blind EIP-712 shows the first two. */
export interface SafeTxHashes {
  domainHash: Hex;
  messageHash: Hex;
  safeTxHash: Hex;
}

/**
 * A transaction with the defaults that leave no hidden payment: no refund (gasPrice 0, gasToken
 * and refundReceiver zero) and safeTxGas 0, so a failing inner call reverts the whole execution
 * and the nonce stays unused (Safe >= 1.3).
 */
export function newSafeTx(fields: Pick<SafeTx, "to" | "data" | "nonce"> & Partial<SafeTx>): SafeTx {
  return {
    value: "0",
    operation: 0,
    safeTxGas: "0",
    baseGas: "0",
    gasPrice: "0",
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    ...fields,
    to: getAddress(fields.to) as Address,
  };
}

/**
 * The three hashes of a transaction, computed by protocol-kit (the Safe team's engine) from the
 * raw fields, never taken from a file: the EIP-712 preimage is 0x1901 ‖ domain hash ‖ message
 * hash, and the safeTxHash is its keccak256.
 */
export function hashSafeTx(chainId: number, safe: Address, tx: SafeTx): SafeTxHashes {
  const preimage = preimageSafeTransactionHash(safe, tx, SAFE_VERSION, BigInt(chainId));
  return {
    domainHash: `0x${preimage.slice(6, 70)}`,
    messageHash: `0x${preimage.slice(70, 134)}`,
    safeTxHash: calculateSafeTransactionHash(safe, tx, SAFE_VERSION, BigInt(chainId)) as Hex,
  };
}

/** How an owner approved: an EIP-712 signature, an eth_sign signature (v + 4), or approveHash on chain. */
export type SignatureKind = "eip712" | "eth_sign" | "approved-hash";

export interface SafeSignature {
  signer: Address;
  /** 65 bytes r ++ s ++ v exactly as the Safe expects them. */
  data: Hex;
  kind: SignatureKind;
}

/**
 * Recovers who signed `safeTxHash` with a 65-byte signature: v 27/28 is EIP-712 over the hash,
 * v 31/32 is eth_sign (personal message) over the hash, as Safe's checkNSignatures reads them.
 * RS3004 for anything else.
 */
export function recoverSafeSignature(safeTxHash: Hex, signature: string): SafeSignature {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) {
    throw new ReleaseError(ERRORS.PROPOSAL.MALFORMED_SIGNATURE, { reason: "expected 65 bytes as 0x-prefixed hex" });
  }
  const v = Number.parseInt(signature.slice(-2), 16);
  try {
    if (v === 27 || v === 28) {
      return {
        signer: getAddress(recoverAddress(safeTxHash, signature)) as Address,
        data: signature as Hex,
        kind: "eip712",
      };
    }
    if (v === 31 || v === 32) {
      const standard = Signature.from(concat([getBytes(signature).slice(0, 64), new Uint8Array([v - 4])]));
      const signer = recoverAddress(hashMessage(getBytes(safeTxHash)), standard);
      return { signer: getAddress(signer) as Address, data: signature.toLowerCase() as Hex, kind: "eth_sign" };
    }
  } catch (error) {
    throw new ReleaseError(ERRORS.PROPOSAL.MALFORMED_SIGNATURE, { reason: (error as Error).message }, error as Error);
  }
  throw new ReleaseError(ERRORS.PROPOSAL.MALFORMED_SIGNATURE, {
    reason: `v = ${v}; expected 27/28 (EIP-712) or 31/32 (eth_sign)`,
  });
}

/**
 * A signature as a wallet hands it over, read the way the owner meant it. v 27/28 is what both an
 * EIP-712 typed-data signature and a plain "sign message" (eth_sign, personal_sign: what a
 * hardware wallet shows as a message) give; Safe tells them apart by v + 4 for the latter. So a
 * 27/28 signature is tried as typed data first and as a message second, and kept in Safe's form
 * (v 31/32 for a message). v 0/1 (some signers' raw form) counts as 27/28. `accepts` says who may
 * have signed (the named signer, or any owner); RS3003 when no reading gives such a signer, naming
 * what each convention recovered.
 */
export function readWalletSignature(
  safeTxHash: Hex,
  raw: string,
  accepts: (signer: Address) => boolean,
): SafeSignature & { tried: string } {
  if (!/^0x[0-9a-fA-F]{130}$/.test(raw)) {
    throw new ReleaseError(ERRORS.PROPOSAL.MALFORMED_SIGNATURE, { reason: "expected 65 bytes as 0x-prefixed hex" });
  }
  let v = Number.parseInt(raw.slice(-2), 16);
  if (v === 0 || v === 1) v += 27;
  const body = raw.slice(0, -2).toLowerCase();
  if (v === 31 || v === 32) return { ...recoverSafeSignature(safeTxHash, raw), tried: "eth_sign (v 31/32)" };
  if (v !== 27 && v !== 28) return { ...recoverSafeSignature(safeTxHash, raw), tried: "" };
  const typed = recoverSafeSignature(safeTxHash, `${body}${v.toString(16)}`);
  if (accepts(typed.signer)) return { ...typed, tried: "EIP-712" };
  const message = recoverSafeSignature(safeTxHash, `${body}${(v + 4).toString(16)}`);
  if (accepts(message.signer)) return { ...message, tried: "eth_sign" };
  return {
    ...typed,
    tried: `${typed.signer} as EIP-712 typed data, ${message.signer} as an eth_sign message (v + 4)`,
  };
}

/** A pre-validated signature (protocol-kit's): accepted by the Safe for an owner who called approveHash. */
export function approvedHashSignature(owner: Address): Hex {
  return generatePreValidatedSignature(owner).data as Hex;
}

/** The signatures as execTransaction takes them, packed by protocol-kit (sorted by signer). */
export function encodeSignatures(signatures: SafeSignature[]): Hex {
  return buildSignatureBytes(signatures.map((s) => new EthSafeSignature(s.signer, s.data))) as Hex;
}

/**
 * The fields of a Safe transaction in the order the Safe's functions take them
 * (getTransactionHash, execTransaction), without the nonce or signatures that follow.
 */
export function safeTxArguments(tx: SafeTx) {
  return [
    tx.to,
    tx.value,
    tx.data,
    tx.operation,
    tx.safeTxGas,
    tx.baseGas,
    tx.gasPrice,
    tx.gasToken,
    tx.refundReceiver,
  ] as const;
}

const SAFE = new Interface(loadSafeArtifact("safeSingletonAddress").abi as never);

/** Calldata of `execTransaction` for a transaction and its signatures, from the Safe's own ABI. */
export function encodeExecTransaction(tx: SafeTx, signatures: Hex): Hex {
  return SAFE.encodeFunctionData("execTransaction", [...safeTxArguments(tx), signatures]) as Hex;
}
