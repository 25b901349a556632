import {
  buildSignatureBytes,
  calculateSafeTransactionHash,
  EthSafeSignature,
  generatePreValidatedSignature,
  preimageSafeTransactionHash,
} from "@safe-global/protocol-kit";
import {
  concat,
  Contract,
  getAddress,
  getBytes,
  hashMessage,
  hexlify,
  Interface,
  isError,
  recoverAddress,
  Signature,
  toBigInt,
  ZeroAddress,
  type Provider,
} from "ethers";

import { revertDataOf } from "../chain/revert-data.js";
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

/**
 * How an owner approved: an EIP-712 signature, an eth_sign signature (v + 4), approveHash on
 * chain, or (an owner that is itself a Safe) an EIP-1271 contract signature.
 */
export type SignatureKind = "eip712" | "eth_sign" | "approved-hash" | "contract";

export interface SafeSignature {
  signer: Address;
  /**
   * 65 bytes r ++ s ++ v exactly as the Safe expects them; for a contract signature, the signing
   * Safe's own signature bytes (its owners' signatures), which execTransaction carries in its
   * dynamic part and the Safe hands to the signer's `isValidSignature`.
   */
  data: Hex;
  kind: SignatureKind;
}

/**
 * A nested Safe's signature as protocol-kit encodes one contract signature on its own
 * (`buildSignatureBytes([buildContractSignature(...)])`, what Safe{Wallet} sends to the Transaction
 * Service): r = the signing Safe, s = 65 (where its bytes start), v = 0, then their length and the
 * bytes. Undefined for anything else.
 */
export function readContractSignature(raw: string): SafeSignature | undefined {
  // At most 8 KiB: a nested Safe's owners' signatures, not an arbitrarily large eth_call.
  if (!/^0x([0-9a-fA-F]{2})+$/.test(raw) || raw.length < 2 + 2 * 97 || raw.length > 2 + 2 * 8192) return undefined;
  const bytes = getBytes(raw);
  if (bytes[64] !== 0 || bytes.slice(0, 12).some((b) => b !== 0)) return undefined;
  if (toBigInt(bytes.slice(32, 64)) !== 65n || toBigInt(bytes.slice(65, 97)) !== BigInt(bytes.length - 97)) {
    return undefined;
  }
  return {
    signer: getAddress(hexlify(bytes.slice(12, 32))) as Address,
    data: hexlify(bytes.slice(97)) as Hex,
    kind: "contract",
  };
}

/** A signature as the Transaction Service takes it: a contract signature encoded on its own (protocol-kit). */
export function serviceSignature(signature: SafeSignature): Hex {
  if (signature.kind !== "contract") return signature.data;
  return buildSignatureBytes([new EthSafeSignature(signature.signer, signature.data, true)]) as Hex;
}

const EIP1271_LEGACY_MAGIC = "0x20c13b0b";
const SIGNATURE_VALIDATOR = ["function isValidSignature(bytes _data, bytes _signature) view returns (bytes4)"];

/**
 * Whether the Safe `signer` accepts `data` as its signature of the Safe transaction of `safe`
 * (chain `chainId`) right now: the very call the Safe makes in execTransaction (EIP-1271 with the
 * transaction's EIP-712 preimage, through the signer's fallback handler), as an eth_call at the
 * current block, so its owners and threshold are today's.
 *
 * JSON-RPC: eth_call (isValidSignature).
 */
export async function isValidContractSignature(
  provider: Provider,
  chainId: number,
  safe: Address,
  tx: SafeTx,
  signature: Pick<SafeSignature, "signer" | "data">,
): Promise<boolean> {
  const preimage = preimageSafeTransactionHash(safe, tx, SAFE_VERSION, BigInt(chainId));
  const validator = new Contract(signature.signer, SIGNATURE_VALIDATOR, provider);
  try {
    // From the parent Safe, as its execTransaction calls.
    return (await validator.isValidSignature!(preimage, signature.data, { from: safe })) === EIP1271_LEGACY_MAGIC;
  } catch (error) {
    // A revert (GS026...), no code, no handler: not a signature. The endpoint failing is not an answer.
    const reverted =
      isError(error, "CALL_EXCEPTION") ||
      isError(error, "BAD_DATA") ||
      revertDataOf(error) !== undefined ||
      /revert/i.test((error as Error).message);
    if (reverted) return false;
    throw error;
  }
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
  return buildSignatureBytes(
    signatures.map((s) => new EthSafeSignature(s.signer, s.data, s.kind === "contract")),
  ) as Hex;
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
