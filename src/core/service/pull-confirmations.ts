import { ERRORS, ReleaseError } from "../errors.js";
import { checkProposal } from "../proposals/check-proposal.js";
import { safeContract, type ProposalContext } from "../proposals/proposal-context.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import { withProposals } from "../proposals/with-proposals.js";
import { isValidContractSignature, type SafeSignature } from "../safe/safe-tx.js";
import type { Hex } from "../types.js";
import { assertSameTransaction } from "./push-proposal.js";
import { checkConfirmation } from "./service-transaction.js";
import type { TransactionService } from "./transaction-service.js";

export interface PullConfirmationsParameters {
  ctx: ProposalContext;
  service: TransactionService;
  /** One proposal id; or `all` for every open proposal. */
  proposal?: string;
  all?: boolean;
}

export interface PulledProposal {
  proposal: string;
  phase: string;
  safeTxHash: Hex;
  /** False when the phase is not in the queue (only with --all; one proposal gets RS8005). */
  queued: boolean;
  /** Signatures merged into the proposal file by this pull. */
  merged: SafeSignature[];
  /** Confirmations the service holds that were not merged, and why. */
  refused: Array<{ owner: string; reason: string }>;
  /** Valid signatures in the file now, and the Safe's threshold. */
  signatures: number;
  threshold: number;
}

export interface PullConfirmationsResult {
  network: string;
  url: string;
  proposals: PulledProposal[];
  requests: number;
}

/**
 * Brings owners' confirmations from the Transaction Service (Safe{Wallet}) into the proposal files.
 * Each is a stranger's claim: recovered from the safeTxHash recomputed from the file (never the
 * service's), it must be the named owner's and an owner of the Safe at the current block (an
 * approved hash must be on chain); the rest are listed with the reason. Every answer is read and
 * checked before any file is written: a service that lies about a transaction (RS8004) or fails
 * (RS8002) merges nothing.
 *
 * JSON-RPC: those of checkProposal; eth_call (approvedHashes) for approved hashes. HTTP: one GET
 * per proposal.
 */
export async function pullConfirmations(params: PullConfirmationsParameters): Promise<PullConfirmationsResult> {
  const { ctx, service } = params;
  const before = service.requests;
  return withProposals(ctx, async ({ stack, chainId }) => {
    const chosen = await chooseProposals(ctx, params);
    const pulled: Array<{ record: ProposalRecord; result: PulledProposal; add: SafeSignature[] }> = [];
    for (const record of chosen) {
      const checked = await checkProposal(ctx, record, stack, chainId);
      const safeTxHash = checked.hashes.safeTxHash.toLowerCase() as Hex;
      const base = { proposal: record.id, phase: checked.phase.name, safeTxHash, threshold: checked.threshold };
      const tx = await service.transaction(safeTxHash);
      if (tx === undefined) {
        if (!params.all) {
          throw new ReleaseError(ERRORS.SERVICE.NOT_QUEUED, { ...base, network: ctx.network });
        }
        pulled.push({
          record,
          result: { ...base, queued: false, merged: [], refused: [], signatures: checked.signers.length },
          add: [],
        });
        continue;
      }
      assertSameTransaction(tx, checked, record, chainId, service, ctx.network);
      const contract = safeContract(record.safe.address, ctx.provider);
      const add: SafeSignature[] = [];
      const refused: PulledProposal["refused"] = [];
      for (const confirmation of tx.confirmations) {
        if (checked.signers.includes(confirmation.owner) || add.some((s) => s.signer === confirmation.owner)) continue;
        const result = await checkConfirmation(confirmation, safeTxHash, checked.owners, {
          approved: async (owner) => ((await contract.approvedHashes!(owner, safeTxHash)) as bigint) !== 0n,
          contractAccepts: (signature) =>
            isValidContractSignature(ctx.provider, chainId, record.safe.address, checked.phase.safeTx, signature),
        });
        if (result.ok) add.push(result.signature);
        else refused.push({ owner: result.owner, reason: result.reason });
      }
      pulled.push({
        record,
        result: {
          ...base,
          queued: true,
          merged: add,
          refused,
          signatures: checked.signers.length + add.length,
        },
        add,
      });
    }
    // Everything was read and checked: only now are files written.
    for (const { record, add } of pulled) {
      if (add.length === 0) continue;
      // A nested Safe's new signature replaces one its Safe no longer accepts.
      const phase = record.phases.find((p) => p.executed === null)!;
      phase.signatures = [...phase.signatures.filter((s) => !add.some((a) => a.signer === s.signer)), ...add];
      await ctx.records.writeProposal(record);
    }
    return {
      network: ctx.network,
      url: service.url,
      proposals: pulled.map((p) => p.result),
      requests: service.requests - before,
    };
  });
}

async function chooseProposals(ctx: ProposalContext, params: PullConfirmationsParameters): Promise<ProposalRecord[]> {
  if (params.all === true) {
    return (await ctx.records.listProposals()).filter(
      (p) =>
        (p.status === "drafted" || p.status === "scheduled") &&
        p.phases.find((phase) => phase.executed === null)?.safeTx != null,
    );
  }
  if (params.proposal === undefined || params.proposal.trim() === "") {
    throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option: "<proposal> (or --all)" });
  }
  const record = await ctx.records.readProposal(params.proposal);
  if (record === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
  }
  return [record];
}
