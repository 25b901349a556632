import type { Provider } from "ethers";

import type { ArtifactSource } from "../governance/artifacts.js";
import { safeContract } from "../proposals/proposal-context.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import { decodeCalls } from "../review/decode-calls.js";
import { knownContracts } from "../review/known-contracts.js";
import { summarizeCalls } from "../review/summarize-calls.js";
import type { StackRecord } from "../records/stack-record.js";
import { hashSafeTx } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { ReleaseError } from "../errors.js";
import { isValidContractSignature } from "../safe/safe-tx.js";
import { checkConfirmation, recomputedHash, type ChainChecks, type ServiceTransaction } from "./service-transaction.js";
import type { TransactionService } from "./transaction-service.js";

/** One transaction waiting in the service's queue for a Safe of the stack, checked. */
export interface QueuedTransaction {
  safe: { role: "owners" | "guardian"; address: Address };
  nonce: number;
  /** The hash recomputed from the fields the service holds. */
  safeTxHash: Hex;
  /** The proposal phase it is (same recomputed hash); null when no proposal file explains it. */
  proposal: { id: string; phase: string } | null;
  /** Confirmations that recover from the recomputed hash to a current owner. */
  confirmations: Address[];
  /** Confirmations that do not (a non-owner, another transaction's signature, a malformed one). */
  refused: Array<{ owner: string; reason: string }>;
  /** Open proposals of the same Safe holding the same nonce (only one of them can ever execute). */
  competesWith: string[];
  /** What the transaction does, decoded from its bytes. */
  summary: string[];
  /** Why this is a danger; null when a proposal file explains it and the service's copy holds. */
  danger: string | null;
}

export interface ServiceQueue {
  url: string;
  transactions: QueuedTransaction[];
  /** Set when the service could not be read (the rest of the command goes on): code and message. */
  unavailable: { code: string; message: string } | null;
  /** HTTP requests this read made. */
  requests: number;
}

export interface ReadServiceQueueParameters {
  provider: Provider;
  service: TransactionService;
  stack: StackRecord;
  chainId: number;
  proposals: ProposalRecord[];
  artifacts: ArtifactSource;
}

/**
 * The Safe Transaction Service's queue for the stack's two Safes, as a claim checked against the
 * chain and the records: for each transaction not executed, from each Safe's on-chain nonce on,
 * the hash is recomputed from its fields (a service whose claimed hash differs is lying), matched
 * with the open proposal phases, its confirmations recovered against current owners, and anything
 * no proposal file explains is decoded and reported as a danger, as is a transaction competing for
 * a proposal's nonce. A service that cannot be read makes `unavailable`, never a failed command.
 *
 * JSON-RPC: eth_call (nonce, getOwners, approvedHashes). HTTP: one listing per Safe (more pages
 * for long queues).
 */
export async function readServiceQueue(params: ReadServiceQueueParameters): Promise<ServiceQueue> {
  const { service, stack, chainId } = params;
  const before = service.requests;
  const open = openPhases(params.proposals, chainId);
  const { known, implementations } = await knownContracts(stack, params.artifacts);
  const transactions: QueuedTransaction[] = [];
  try {
    for (const role of ["owners", "guardian"] as const) {
      const address = stack.safes[role].address;
      const contract = safeContract(address, params.provider);
      const [nonce, owners] = (await Promise.all([contract.nonce!(), contract.getOwners!()])) as [bigint, string[]];
      for (const tx of await service.pending(address, Number(nonce))) {
        transactions.push(
          await checkQueued(tx, {
            role,
            address,
            owners: owners as Address[],
            chainId,
            open,
            summary: () => summarizeCalls(decodeCalls({ ...tx.safeTx, known, implementations })),
            approved: async (owner, hash) => ((await contract.approvedHashes!(owner, hash)) as bigint) !== 0n,
            contractAccepts: (signature) =>
              isValidContractSignature(params.provider, chainId, address, tx.safeTx, signature),
          }),
        );
      }
    }
  } catch (error) {
    if (!ReleaseError.is(error)) throw error;
    return {
      url: service.url,
      transactions,
      unavailable: { code: error.code, message: error.message.split("\n")[0]! },
      requests: service.requests - before,
    };
  }
  return { url: service.url, transactions, unavailable: null, requests: service.requests - before };
}

interface OpenPhase {
  id: string;
  phase: string;
  safe: Address;
  nonce: number;
  safeTxHash: Hex;
}

/** Every built, not executed phase of an open proposal, with its recomputed hash. */
export function openPhases(proposals: ProposalRecord[], chainId: number): OpenPhase[] {
  return proposals
    .filter((p) => p.status === "drafted" || p.status === "scheduled")
    .flatMap((p) =>
      p.phases
        .filter((phase) => phase.safeTx !== null && phase.executed === null)
        .map((phase) => ({
          id: p.id,
          phase: phase.name,
          safe: p.safe.address,
          nonce: phase.safeTx!.nonce,
          safeTxHash: hashSafeTx(chainId, p.safe.address, phase.safeTx!).safeTxHash.toLowerCase() as Hex,
        })),
    );
}

async function checkQueued(
  tx: ServiceTransaction,
  at: {
    role: "owners" | "guardian";
    address: Address;
    owners: Address[];
    chainId: number;
    open: OpenPhase[];
    summary: () => string[];
    approved: (owner: Address, hash: Hex) => Promise<boolean>;
    contractAccepts: ChainChecks["contractAccepts"];
  },
): Promise<QueuedTransaction> {
  const safeTxHash = recomputedHash(at.chainId, tx);
  const mine = at.open.find((p) => p.safe === at.address && p.safeTxHash === safeTxHash);
  const competesWith = at.open
    .filter((p) => p.safe === at.address && p.nonce === tx.safeTx.nonce && p.safeTxHash !== safeTxHash)
    .map((p) => p.id);
  const confirmations: Address[] = [];
  const refused: QueuedTransaction["refused"] = [];
  for (const confirmation of tx.confirmations) {
    // Each owner counts once, however often a service lists it.
    if (confirmations.includes(confirmation.owner)) continue;
    const checked = await checkConfirmation(confirmation, safeTxHash, at.owners, {
      approved: (owner) => at.approved(owner, safeTxHash),
      contractAccepts: at.contractAccepts,
    });
    if (checked.ok) confirmations.push(checked.signature.signer);
    else refused.push({ owner: checked.owner, reason: checked.reason });
  }
  let summary: string[];
  try {
    summary = at.summary();
  } catch {
    summary = [`call ${tx.safeTx.to} with ${tx.safeTx.data.slice(0, 10)}…`];
  }
  const danger =
    tx.safe !== at.address
      ? `listed for the Safe ${at.address}, it is a transaction of ${tx.safe}: the service is lying or corrupt`
      : tx.claimedHash !== safeTxHash
        ? `the service claims safeTxHash ${tx.claimedHash}, but its fields hash to ${safeTxHash}: the service is lying or corrupt`
        : mine === undefined
          ? competesWith.length > 0
            ? `no proposal file explains it, and it competes with ${competesWith.join(", ")} for nonce ${tx.safeTx.nonce}`
            : "no proposal file explains it"
          : null;
  return {
    safe: { role: at.role, address: at.address },
    nonce: tx.safeTx.nonce,
    safeTxHash,
    proposal: mine === undefined ? null : { id: mine.id, phase: mine.phase },
    confirmations,
    refused,
    competesWith,
    summary,
    danger,
  };
}
