import { Contract, getAddress } from "ethers";

import {
  listPendingOperations,
  readStackState,
  type PendingOperation,
  type StackState,
} from "../governance/inspect-stack.js";
import type { Address, StackRecord } from "../records/stack-record.js";
import { hashSafeTx, recoverSafeSignature } from "../safe/safe-tx.js";
import { checkProposal, readSafeGovernance } from "./check-proposal.js";
import type { ProposalContext } from "./proposal-context.js";
import type { ProposalKind, ProposalRecord, ProposalStatus } from "./proposal-record.js";
import { withProposals } from "./with-proposals.js";
import { readServiceQueue, type ServiceQueue } from "../service/read-service-queue.js";
import type { TransactionService } from "../service/transaction-service.js";
import { TIMELOCK_ABI, timelockOperationId } from "./timelock-operation.js";

export interface ListProposalsParameters extends ProposalContext {
  /** When given, the Safes' queue in the Transaction Service is read and checked too. */
  service?: TransactionService;
}

/** What to do next with a proposal, as data (`nextAction` says it in words). */
export type NextStep =
  | { action: "sign"; phase: string; have: number; need: number }
  | { action: "execute"; phase: string }
  | { action: "wait"; phase: string; eta: number; seconds: number }
  | { action: "stale"; phase: string; nonce: number; safeNonce: number }
  | { action: "wrong-network"; network: string; chainId: number }
  | { action: "done" }
  | { action: "cancelled" };

export interface QueueEntry {
  id: string;
  kind: ProposalKind;
  description: string;
  /** The proxy it acts on, or the timelock for a cancel. */
  target: string;
  safe: { role: "owners" | "guardian"; address: Address };
  /** Nonce of the current phase's Safe transaction; null when it is not built or none is left. */
  nonce: number | null;
  /** Signatures of the current phase that recover to a current owner, and the Safe's threshold. */
  signatures: number;
  threshold: number;
  /** The phase that runs next; null when none is left. */
  phase: string | null;
  status: ProposalStatus;
  /** Unix seconds when the timelock operation becomes executable; null when not scheduled. */
  eta: number | null;
  next: NextStep;
  nextAction: string;
  /** The current phase in the Transaction Service queue (when one is configured): null when not pushed. */
  service?: { confirmations: number } | null;
}

export interface ListProposalsResult {
  network: string;
  chainId: number;
  /** Latest block time (the timelock's clock), unix seconds. */
  now: number;
  proposals: QueueEntry[];
  /** Pending timelock operations no proposal file explains: each is a danger (cancel it). */
  unexplained: PendingOperation[];
  /** The Safes' queue in the Transaction Service, checked (when one is configured). */
  queue?: ServiceQueue;
}

/**
 * The queue: every proposal of the network with its signatures k/n (n = the Safe's on-chain
 * threshold), timelock ETA and the next action to take. Signatures are counted only when they
 * recover from the recomputed safeTxHash to a current owner, and the ETA is read for the operation
 * id recomputed from the recorded operation, so an edited file shows fewer signatures, not more.
 * `release review` is the full check before signing.
 *
 * Signatures that need the chain (an owner's approveHash, a nested Safe's EIP-1271 signature) are
 * counted as execute counts them (checkProposal); a file that does not hold together shows only
 * the signatures that recover from its recomputed hash.
 *
 * JSON-RPC: those of withProposals, with readStackState and eth_getBlockByNumber in its first
 * round trip; then eth_call (timelock getTimestamp, isOperationReady; approvedHashes, a nested
 * Safe's isValidSignature) together.
 */
export async function listProposals(ctx: ListProposalsParameters): Promise<ListProposalsResult> {
  // The Safes and the chain's time are read with the chain id and the head.
  const prefetch = (recorded: StackRecord) =>
    Promise.all([readStackState(ctx.provider, recorded), ctx.provider.getBlock("latest")]);
  return withProposals(
    ctx,
    async ({ stack, chainId, history, prefetched }) => {
      const proposals = await ctx.records.listProposals();
      const [state, block] = await prefetched;
      const [queue, operations] = await Promise.all([
        queueEntries(ctx, { stack, chainId, state, now: block?.timestamp ?? 0 }, proposals),
        listPendingOperations({ provider: ctx.provider, stack, history, proposals, artifacts: ctx.artifacts }),
      ]);
      const unexplained = operations.filter((op) => op.explainedBy === null);
      if (ctx.service === undefined) return { ...queue, unexplained };
      const service = await readServiceQueue({ ...ctx, service: ctx.service, stack, chainId, proposals });
      return {
        ...queue,
        proposals: queue.proposals.map((entry) => withService(entry, service)),
        unexplained,
        queue: service,
      };
    },
    prefetch,
  );
}

async function queueEntries(
  ctx: ProposalContext,
  read: { stack: StackRecord; chainId: number; state: StackState; now: number },
  proposals: ProposalRecord[],
): Promise<Omit<ListProposalsResult, "unexplained">> {
  const { provider, network } = ctx;
  const { stack, chainId, state, now } = read;

  const safes = new Map<string, Promise<{ owners: Set<string>; threshold: number; nonce: number }>>();
  const readSafe = (address: Address) => {
    let safe = safes.get(address);
    if (safe === undefined) {
      safe = (async () => {
        const code = state.safes[address]?.code ?? (await provider.getCode(address));
        if (code === "0x") return { owners: new Set<string>(), threshold: 0, nonce: 0 };
        const { owners, threshold, nonce } = await readSafeGovernance(ctx, address, state);
        return {
          owners: new Set(owners.map((o) => getAddress(o))),
          threshold: Number(threshold),
          nonce: Number(nonce),
        };
      })();
      safes.set(address, safe);
    }
    return safe;
  };

  const entries = await Promise.all(
    proposals.map(async (proposal): Promise<QueueEntry> => {
      const safeAddress = getAddress(proposal.safe.address) as Address;
      const safe = await readSafe(safeAddress);
      const index = proposal.phases.findIndex((p) => p.executed === null);
      const phase = index === -1 ? undefined : proposal.phases[index];
      const tx = phase?.safeTx ?? null;

      let signatures = 0;
      const checked =
        phase === undefined || tx === null
          ? undefined
          : await checkProposal(ctx, proposal, stack, chainId, state).catch(() => undefined);
      if (checked !== undefined) signatures = checked.signers.length;
      else if (phase !== undefined && tx !== null) {
        const { safeTxHash } = hashSafeTx(proposal.chainId, safeAddress, tx);
        const signers = new Set<string>();
        for (const s of phase.signatures) {
          if (s.kind === "approved-hash" || s.kind === "contract") continue; // not without a file that holds together
          try {
            const { signer } = recoverSafeSignature(safeTxHash, s.data);
            if (signer === getAddress(s.signer) && safe.owners.has(signer)) signers.add(signer);
          } catch {
            // a malformed signature counts for nothing; review names it
          }
        }
        signatures = signers.size;
      }

      let eta: number | null = null;
      let ready = false;
      if (proposal.timelock !== undefined) {
        const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, provider);
        const id = timelockOperationId(proposal.timelock.operation);
        const [timestamp, isReady] = (await Promise.all([
          timelock.getTimestamp!(id),
          timelock.isOperationReady!(id),
        ])) as [bigint, boolean];
        eta = timestamp > 1n ? Number(timestamp) : null;
        ready = isReady;
      }

      const next = nextStep(proposal, { network, chainId, now, eta, ready, signatures, safe, phaseIndex: index });
      return {
        id: proposal.id,
        kind: proposal.kind,
        description: proposal.description,
        target: proposal.proxy?.name ?? proposal.actions[0]?.contract ?? "-",
        safe: { role: proposal.safe.role, address: safeAddress },
        nonce: tx?.nonce ?? null,
        signatures,
        threshold: safe.threshold,
        phase: phase?.name ?? null,
        status: proposal.status,
        eta,
        next,
        nextAction: describeNext(next),
      };
    }),
  );
  return { network, chainId, now, proposals: entries };
}

/** The entry with its phase's place in the service queue; confirmations there suggest a pull. */
function withService(entry: QueueEntry, queue: ServiceQueue): QueueEntry {
  if (queue.unavailable !== null || entry.phase === null) return entry;
  const queued = queue.transactions.find((tx) => tx.proposal?.id === entry.id && tx.proposal.phase === entry.phase);
  if (queued === undefined) return { ...entry, service: null };
  const confirmations = queued.confirmations.length;
  const more = entry.next.action === "sign" && confirmations > entry.signatures;
  return {
    ...entry,
    service: { confirmations },
    nextAction: more ? `pull: ${confirmations} confirmation(s) in the Transaction Service` : entry.nextAction,
  };
}

function nextStep(
  proposal: ProposalRecord,
  facts: {
    network: string;
    chainId: number;
    now: number;
    eta: number | null;
    ready: boolean;
    signatures: number;
    safe: { threshold: number; nonce: number };
    phaseIndex: number;
  },
): NextStep {
  if (proposal.status === "cancelled") return { action: "cancelled" };
  const phase = proposal.phases[facts.phaseIndex];
  if (proposal.status === "executed" || phase === undefined) return { action: "done" };
  if (proposal.chainId !== facts.chainId || proposal.network !== facts.network) {
    return { action: "wrong-network", network: proposal.network, chainId: proposal.chainId };
  }
  const tx = phase.safeTx;
  if (tx !== null && tx.nonce < facts.safe.nonce) {
    return { action: "stale", phase: phase.name, nonce: tx.nonce, safeNonce: facts.safe.nonce };
  }
  if (tx !== null && facts.signatures < facts.safe.threshold) {
    return { action: "sign", phase: phase.name, have: facts.signatures, need: facts.safe.threshold };
  }
  if (phase.name === "execute" && !facts.ready && facts.eta !== null) {
    return { action: "wait", phase: phase.name, eta: facts.eta, seconds: Math.max(0, facts.eta - facts.now) };
  }
  return { action: "execute", phase: phase.name };
}

function describeNext(next: NextStep): string {
  switch (next.action) {
    case "sign":
      return `sign: ${next.have} of ${next.need}`;
    case "execute":
      return next.phase === "schedule" ? "execute (schedule)" : "execute";
    case "wait": {
      const minutes = Math.ceil(next.seconds / 60);
      const span = minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
      return `wait until ${new Date(next.eta * 1000).toISOString().replace(".000Z", "Z")} (in ${span})`;
    }
    case "stale":
      return `stale: nonce ${next.nonce} is used (Safe at ${next.safeNonce}); propose again`;
    case "wrong-network":
      return `do not sign: made for ${next.network} (chainId ${next.chainId})`;
    case "done":
      return "done";
    case "cancelled":
      return "cancelled";
  }
}
