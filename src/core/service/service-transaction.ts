import { getAddress } from "ethers";
import { z } from "zod";

import type { Address, Hex } from "../types.js";
import {
  approvedHashSignature,
  hashSafeTx,
  readContractSignature,
  recoverSafeSignature,
  type SafeSignature,
  type SafeTx,
} from "../safe/safe-tx.js";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected an address")
  .transform((value) => getAddress(value) as Address);
const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "expected 0x-hex");
const uint = z.union([z.string().regex(/^\d+$/, "expected a whole number"), z.number().int().nonnegative()]);

const confirmationSchema = z.object({
  owner: address,
  signature: hex.nullable(),
  signatureType: z.string().optional(),
});

/** The fields of a service transaction the toolkit reads (the service sends many more). */
const transactionSchema = z.object({
  safe: address,
  to: address,
  value: uint,
  data: hex.nullable().optional(),
  operation: z.union([z.literal(0), z.literal(1)]),
  safeTxGas: uint,
  baseGas: uint,
  gasPrice: uint,
  gasToken: address,
  refundReceiver: address.nullable().optional(),
  nonce: uint,
  safeTxHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte hash"),
  isExecuted: z.boolean(),
  confirmations: z.array(confirmationSchema).nullable().optional(),
});

const listSchema = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable().optional(),
  results: z.array(transactionSchema),
});

export interface ServiceConfirmation {
  /** Who the service says signed; never believed until recovered. */
  owner: Address;
  signature: Hex | null;
}

/** A queued transaction as the service describes it: claims, until checked. */
export interface ServiceTransaction {
  safe: Address;
  safeTx: SafeTx;
  /** The hash the service claims; `hashSafeTx` of the fields may differ (a lying service). */
  claimedHash: Hex;
  isExecuted: boolean;
  confirmations: ServiceConfirmation[];
}

function toServiceTransaction(raw: z.output<typeof transactionSchema>): ServiceTransaction {
  return {
    safe: raw.safe,
    safeTx: {
      to: raw.to,
      value: String(raw.value),
      data: (raw.data ?? "0x") as Hex,
      operation: raw.operation,
      safeTxGas: String(raw.safeTxGas),
      baseGas: String(raw.baseGas),
      gasPrice: String(raw.gasPrice),
      gasToken: raw.gasToken,
      refundReceiver: raw.refundReceiver ?? "0x0000000000000000000000000000000000000000",
      nonce: Number(raw.nonce),
    },
    claimedHash: raw.safeTxHash.toLowerCase() as Hex,
    isExecuted: raw.isExecuted,
    confirmations: (raw.confirmations ?? []).map((c) => ({ owner: c.owner, signature: c.signature as Hex | null })),
  };
}

/** One transaction from the service, parsed; throws (with zod's words) when its shape is wrong. */
export function parseServiceTransaction(raw: unknown): ServiceTransaction {
  return toServiceTransaction(parseOrExplain(transactionSchema, raw));
}

export function parseTransactionList(raw: unknown): { results: ServiceTransaction[]; next: string | null } {
  const list = parseOrExplain(listSchema, raw);
  return { results: list.results.map(toServiceTransaction), next: list.next ?? null };
}

function parseOrExplain<T extends z.ZodTypeAny>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${issue.path.join(".") || "the answer"}: ${issue.message}`);
}

/** The safeTxHash of the service transaction's own fields, recomputed (protocol-kit). */
export function recomputedHash(chainId: number, tx: ServiceTransaction): Hex {
  return hashSafeTx(chainId, tx.safe, tx.safeTx).safeTxHash.toLowerCase() as Hex;
}

export type CheckedConfirmation = { ok: true; signature: SafeSignature } | { ok: false; owner: string; reason: string };

/** What only the chain can say about a confirmation, at the current block. */
export interface ChainChecks {
  /** Whether `owner` called approveHash for this transaction. */
  approved: (owner: Address) => Promise<boolean>;
  /** Whether the nested Safe that is `signature.signer` accepts it (EIP-1271), as execTransaction asks. */
  contractAccepts: (signature: SafeSignature) => Promise<boolean>;
}

/**
 * A confirmation from the service, checked as if it came from a stranger: recovered from the
 * safeTxHash the toolkit recomputed (never the service's), the recovered signer must be the owner
 * the service names and an owner of the Safe at the current block; an approved hash (v = 1) counts
 * only if the Safe's `approvedHashes` says so on chain, and a nested Safe's contract signature
 * (v = 0) only if that Safe's `isValidSignature` accepts it now.
 */
export async function checkConfirmation(
  confirmation: ServiceConfirmation,
  safeTxHash: Hex,
  owners: readonly Address[],
  chain: ChainChecks,
): Promise<CheckedConfirmation> {
  const refuse = (reason: string): CheckedConfirmation => ({ ok: false, owner: confirmation.owner, reason });
  const data = confirmation.signature;
  if (data === null) return refuse("it carries no signature");
  const contract = readContractSignature(data);
  if (contract !== undefined) {
    if (contract.signer !== confirmation.owner) return refuse(`a contract signature of ${contract.signer}`);
    if (!owners.includes(contract.signer)) return refuse("not an owner of the Safe at the current block");
    if (!(await chain.contractAccepts(contract))) {
      return refuse("the nested Safe does not accept this signature of the transaction (isValidSignature)");
    }
    return { ok: true, signature: contract };
  }
  if (!/^0x[0-9a-fA-F]{130}$/.test(data)) return refuse("its signature is neither 65 bytes nor a contract signature");
  const v = Number.parseInt(data.slice(-2), 16);
  if (v === 1) {
    if (data.toLowerCase() !== approvedHashSignature(confirmation.owner).toLowerCase()) {
      return refuse("an approved-hash signature for another owner");
    }
    if (!owners.includes(confirmation.owner)) return refuse("not an owner of the Safe at the current block");
    if (!(await chain.approved(confirmation.owner))) return refuse("the Safe has no approveHash by this owner");
    return {
      ok: true,
      signature: { signer: confirmation.owner, data: data.toLowerCase() as Hex, kind: "approved-hash" },
    };
  }
  if (v === 0) return refuse("a malformed contract signature");
  let signature: SafeSignature;
  try {
    signature = recoverSafeSignature(safeTxHash, data);
  } catch (error) {
    return refuse((error as Error).message.split("\n")[0]!);
  }
  if (signature.signer !== confirmation.owner) {
    return refuse(`it recovers to ${signature.signer} from this safeTxHash: a signature of another transaction`);
  }
  if (!owners.includes(signature.signer)) return refuse("not an owner of the Safe at the current block");
  return { ok: true, signature };
}
