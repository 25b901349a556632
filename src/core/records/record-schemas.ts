import { getAddress } from "ethers";
import { z } from "zod";

/**
 * What a records file must look like to be read at all. Records travel through pull requests, so
 * they are input like any other: every address must be checksummed (comparisons are exact), every
 * number a number, every hash 32 bytes, and nothing unknown may ride along. A file that fails is
 * refused with RS7002 naming the field, before any command acts on it.
 */
const address = z.string().refine((value) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return false;
  try {
    return getAddress(value) === value;
  } catch {
    return false;
  }
}, "expected a checksummed 0x address");
const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "expected 0x-prefixed hex bytes");
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte 0x hash");
/** A uint256 in decimal: at most 78 digits. */
const decimal = z.string().regex(/^\d{1,78}$/, "expected a decimal string of a uint256");
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoTime = z.string().min(1);
/** Names printed in reviews: plain identifiers, never terminal control sequences. */
const plainName = z.string().regex(/^[A-Za-z][A-Za-z0-9_$-]*$/, "expected a plain name");

const safeTx = z
  .object({
    to: address,
    value: decimal,
    data: hex,
    operation: z.union([z.literal(0), z.literal(1)], {
      errorMap: () => ({ message: "expected the number 0 (call) or 1 (delegatecall)" }),
    }),
    safeTxGas: decimal,
    baseGas: decimal,
    gasPrice: decimal,
    gasToken: address,
    refundReceiver: address,
    nonce: count,
  })
  .strict();

const signature = z
  .object({ signer: address, data: hex, kind: z.enum(["eip712", "eth_sign", "approved-hash", "contract"]) })
  .strict();

const acknowledgement = z
  .object({ code: z.string(), message: z.string(), by: z.string(), command: z.string(), at: isoTime })
  .strict();

const phase = z
  .object({
    name: z.enum(["direct", "schedule", "execute"]),
    safeTx: safeTx.nullable(),
    hashes: z.object({ domainHash: hash, messageHash: hash, safeTxHash: hash }).strict().nullable(),
    signatures: z.array(signature),
    acknowledgements: z.array(acknowledgement).optional(),
    executed: z
      .object({ txHash: hash, block: count, timestamp: count, outside: z.boolean().optional() })
      .strict()
      .nullable(),
  })
  .strict();

const status = z.enum(["drafted", "scheduled", "executed", "cancelled"]);

export const proposalRecordSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[A-Za-z0-9._-]+$/),
    kind: z.string().regex(/^[a-z][a-z-]*$/, "expected a kind name"),
    network: z.string().min(1),
    chainId: count,
    description: z.string(),
    createdAt: isoTime,
    safe: z.object({ role: z.enum(["owners", "guardian"]), address }).strict(),
    proxy: z.object({ name: plainName, address }).strict().optional(),
    actions: z.array(
      z
        .object({
          target: address,
          contract: z.string(),
          method: z.string(),
          args: z.array(z.string()),
          value: decimal,
        })
        .strict(),
    ),
    timelock: z
      .object({
        address,
        operation: z
          .object({
            targets: z.array(address),
            values: z.array(decimal),
            payloads: z.array(hex),
            predecessor: hash,
            salt: hash,
            delay: count,
          })
          .strict(),
        id: hash,
        eta: count.nullable(),
      })
      .strict()
      .optional(),
    implementation: z
      .object({
        from: address,
        to: address,
        contract: z.string(),
        bytecodeHash: hash,
        call: hex.optional(),
        retainedOnRollback: z.array(z.string()),
        clearsRollbackTarget: z.boolean(),
      })
      .strict()
      .optional(),
    cancels: z.object({ proposal: z.string().optional(), operationId: hash }).strict().optional(),
    /** Kind-specific parameters (a delay change, a Safe's new owners...), as the kind declares them. */
    params: z.record(z.unknown()).optional(),
    phases: z.array(phase).min(1),
    status,
    history: z.array(z.object({ status, at: isoTime, txHash: hash.optional(), note: z.string().optional() }).strict()),
  })
  .strict();

const safeRecord = z
  .object({
    address,
    owners: z.array(address),
    threshold: count,
    version: z.string(),
    origin: z.enum(["deployed", "adopted"]),
  })
  .strict();

const verification = z.record(
  z.string(),
  z.record(
    z.string(),
    z
      .object({ status: z.enum(["verified", "failed"]), url: z.string(), at: isoTime, message: z.string().optional() })
      .strict(),
  ),
);

export const stackRecordSchema = z
  .object({
    schemaVersion: z.literal(1),
    network: z.string().min(1),
    chainId: count,
    deployer: address,
    deployBlock: count.optional(),
    safeContracts: z.record(z.string(), address),
    safes: z.object({ owners: safeRecord.optional(), guardian: safeRecord.optional() }).strict(),
    timelock: z
      .object({ address, contract: z.string(), minDelay: count, salt: hash, bytecodeHash: hash })
      .strict()
      .optional(),
    proxies: z.record(
      plainName,
      z
        .object({
          address,
          implementation: address,
          contract: plainName,
          salt: hash,
          initializer: z.string(),
          initializerArgs: z.array(z.unknown()),
          rollbackWindow: count,
          history: z.array(
            z
              .object({
                address,
                contract: z.string(),
                bytecodeHash: hash,
                reason: z.enum(["deploy", "upgrade", "rollback"]),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    verification: verification.optional(),
  })
  .strict();

/** "phases.0.safeTx.operation: expected 0 or 1" for the first problem of a record. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length === 0 ? "the file" : issue.path.join(".");
  return `${where}: ${issue.message}`;
}
