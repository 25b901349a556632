import { ERRORS, ReleaseError } from "../errors.js";
import { checkProposal, type CheckedPhase } from "../proposals/check-proposal.js";
import type { ProposalContext } from "../proposals/proposal-context.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import { withProposals } from "../proposals/with-proposals.js";
import { gateReview } from "../review/gate-review.js";
import { reviewProposal } from "../review/review-proposal.js";
import { serviceSignature } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { recomputedHash, type ServiceTransaction } from "./service-transaction.js";
import type { TransactionService } from "./transaction-service.js";

export interface PushProposalParameters {
  ctx: ProposalContext;
  service: TransactionService;
  proposal: string;
  /** Warning codes accepted for this push, besides those the signers recorded. */
  acknowledge?: string[];
}

export interface PushProposalResult {
  proposal: ProposalRecord;
  phase: string;
  safeTxHash: Hex;
  /** True when this push created the transaction in the queue; false when it was there already. */
  created: boolean;
  /** Owners whose signatures this push added to the queue (the proposer first when created). */
  added: Address[];
  /** Confirmations the queue holds now, and the Safe's threshold. */
  queued: number;
  threshold: number;
  url: string;
  requests: number;
}

/**
 * Puts the current phase of a proposal into the Safe's queue in the Transaction Service, where
 * owners see it in Safe{Wallet}: with the first signature of the proposal file as the proposer's
 * (the service takes a transaction only with an owner's), then the file's other signatures as
 * confirmations. The file is checked as for `sign` (recomputed hashes, recovered signatures, the
 * review's gate: a danger is never put in front of signers), and the service's copy is checked
 * before anything is added to it (RS8004 when its fields do not hash to ours). Pushing again adds
 * only what the queue lacks: nothing when it has everything. The proposal file does not change.
 *
 * JSON-RPC: those of checkProposal and the review. HTTP: GET the transaction, then one POST per
 * signature the queue lacks.
 */
export async function pushProposal(params: PushProposalParameters): Promise<PushProposalResult> {
  const { ctx, service } = params;
  const before = service.requests;
  return withProposals(ctx, async ({ stack, chainId, history }) => {
    const proposal = await ctx.records.readProposal(params.proposal);
    if (proposal === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
    }
    const checked = await checkProposal(ctx, proposal, stack, chainId);
    const report = await reviewProposal({ ...ctx, proposal: proposal.id, history });
    gateReview({
      report,
      command: "push",
      acknowledge: [...(checked.phase.acknowledgements ?? []).map((a) => a.code), ...(params.acknowledge ?? [])],
      by: "push",
      now: ctx.now(),
    });
    const safeTxHash = checked.hashes.safeTxHash.toLowerCase() as Hex;
    // Those that count: a nested Safe's signature its Safe no longer accepts is not offered.
    const signatures = checked.signatures;
    if (signatures.length === 0) {
      throw new ReleaseError(ERRORS.SERVICE.NO_PROPOSER_SIGNATURE, {
        proposal: proposal.id,
        phase: checked.phase.name,
        network: ctx.network,
      });
    }

    const existing = await service.transaction(safeTxHash);
    if (existing !== undefined) assertSameTransaction(existing, checked, proposal, chainId, service, ctx.network);
    const present = new Set((existing?.confirmations ?? []).map((c) => c.owner));
    const added: Address[] = [];
    if (existing === undefined) {
      // The proposer: an owner's own signature, rather than an on-chain approval, when there is one.
      const proposer = signatures.find((s) => s.kind === "eip712" || s.kind === "eth_sign") ?? signatures[0]!;
      await service.propose({
        safeAddress: proposal.safe.address,
        safeTransactionData: checked.phase.safeTx,
        safeTxHash,
        senderAddress: proposer.signer,
        senderSignature: serviceSignature(proposer),
        origin: `hardhat-release-safety ${proposal.network}/${proposal.id} (${checked.phase.name})`,
      });
      added.push(proposer.signer);
      present.add(proposer.signer);
    }
    for (const signature of signatures) {
      if (present.has(signature.signer)) continue;
      await service.confirm(safeTxHash, serviceSignature(signature));
      added.push(signature.signer);
      present.add(signature.signer);
    }
    return {
      proposal,
      phase: checked.phase.name,
      safeTxHash,
      created: existing === undefined,
      added,
      queued: present.size,
      threshold: checked.threshold,
      url: service.url,
      requests: service.requests - before,
    };
  });
}

/**
 * The service's copy of a proposal phase must be that very transaction: of our Safe, with fields
 * that hash to our recomputed safeTxHash, and not executed unless the chain says so. RS8004 otherwise.
 */
export function assertSameTransaction(
  tx: ServiceTransaction,
  checked: CheckedPhase,
  proposal: ProposalRecord,
  chainId: number,
  service: TransactionService,
  network: string,
): void {
  const ours = checked.hashes.safeTxHash.toLowerCase();
  const lie = (reason: string) =>
    new ReleaseError(ERRORS.SERVICE.LYING, {
      url: service.url,
      request: `GET /v2/multisig-transactions/${ours}/`,
      reason,
      network,
    });
  if (tx.safe !== proposal.safe.address) {
    throw lie(`it returns a transaction of the Safe ${tx.safe}, not of ${proposal.safe.address}`);
  }
  const theirs = recomputedHash(chainId, tx);
  if (theirs !== ours || tx.claimedHash !== ours) {
    throw lie(
      `asked for safeTxHash ${ours} (${proposal.id}, ${checked.phase.name}), it returns fields that hash to ${theirs}`,
    );
  }
  if (tx.isExecuted) throw lie(`it says ${proposal.id}'s ${checked.phase.name} phase executed; the chain says not`);
}
