import { ERRORS, ReleaseError } from "../errors.js";
import { parseAddressOption } from "../parse-address.js";
import { gateReview } from "../review/gate-review.js";
import { reviewProposal } from "../review/review-proposal.js";
import { isValidContractSignature, readContractSignature, readWalletSignature, type SafeTx } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { checkProposal } from "./check-proposal.js";
import type { ProposalContext } from "./proposal-context.js";
import { withProposals } from "./with-proposals.js";
import { readStackState } from "../governance/inspect-stack.js";
import type { StackRecord } from "../records/stack-record.js";
import type { ProposalRecord } from "./proposal-record.js";

/**
 * Signs a Safe transaction's EIP-712 typed data with one of the network's accounts (a key from the
 * keystore, a Ledger...): the plugin does it with protocol-kit over the network's provider.
 */
export type TypedDataSigner = (signer: Address, chainId: number, safe: Address, tx: SafeTx) => Promise<string>;

export interface SignProposalParameters {
  ctx: ProposalContext;
  proposal: string;
  /** The owner who signs (or who made `signature`). Required unless `signature` is given. */
  signer?: string;
  /** A signature made elsewhere (a hardware wallet, the Safe app), 65 bytes hex. */
  signature?: string;
  /** Codes of warning-level red flags the signer accepts (recorded in the proposal file). */
  acknowledge?: string[];
  /** The accounts this network can sign with (or how to list them: asked with the first reads), and how. */
  accounts: Address[] | (() => Promise<Address[]>);
  signTypedData: TypedDataSigner;
}

export interface SignProposalResult {
  proposal: ProposalRecord;
  signer: Address;
  phase: string;
  safeTxHash: Hex;
  signatures: number;
  threshold: number;
  /** When the timelock lets this phase run (an execute phase), and the chain's time now (Unix seconds). */
  eta: number | null;
  now: number;
  /** Codes of the warnings the signer acknowledged. */
  acknowledged: string[];
}

/**
 * Adds an owner's signature to the proposal's current phase. Every signature, made here or
 * imported (a nested Safe's EIP-1271 signature too, checked by that Safe's isValidSignature), is
 * recovered and checked before it is stored: over this safeTxHash (RS3003), by an
 * owner of the right Safe (RS3002), not twice (RS3005), well-formed (RS3004).
 *
 * JSON-RPC: those of withProposals (with readStackState, eth_getBlockByNumber and eth_accounts in
 * its first round trip), of checkProposal and reviewProposal (together); eth_signTypedData_v4 when
 * signing here.
 */
export async function signProposal(params: SignProposalParameters): Promise<SignProposalResult> {
  const { ctx } = params;
  // The stack, the chain's time and the accounts are read with the chain id and the head.
  const prefetch = (recorded: StackRecord) =>
    Promise.all([
      readStackState(ctx.provider, recorded),
      ctx.provider.getBlock("latest"),
      typeof params.accounts === "function" ? params.accounts() : params.accounts,
    ]);
  return withProposals(
    ctx,
    async ({ stack, chainId, history, prefetched }) => {
      const proposal = await ctx.records.readProposal(params.proposal);
      if (proposal === undefined) {
        throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
      }
      const [state, latest, accounts] = await prefetched;
      const wanted =
        params.signer === undefined ? undefined : parseAddressOption("--signer", params.signer, "release sign");
      const [checked, report] = await Promise.all([
        checkProposal(ctx, proposal, stack, chainId, state),
        reviewProposal({ ...ctx, records: ctx.records, proposal: proposal.id, history, stack, state }),
      ]);
      const { safeTxHash } = checked.hashes;
      const acknowledgements = gateReview({
        report,
        command: "sign",
        acknowledge: params.acknowledge ?? [],
        by: wanted ?? "(imported signature)",
        now: ctx.now(),
      });

      let raw = params.signature;
      if (raw === undefined) {
        if (wanted === undefined || !accounts.includes(wanted)) {
          throw new ReleaseError(ERRORS.PROPOSAL.SIGNER_UNAVAILABLE, {
            network: ctx.network,
            signer: params.signer ?? "(none given)",
          });
        }
        raw = await params.signTypedData(wanted, chainId, proposal.safe.address, checked.phase.safeTx);
      }
      // A nested Safe's (EIP-1271) signature names its signer: an owner, whose Safe accepts it now.
      const contract = readContractSignature(raw);
      if (contract !== undefined && !checked.owners.includes(contract.signer)) {
        throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
          signer: contract.signer,
          role: proposal.safe.role,
          safe: proposal.safe.address,
        });
      }
      if (
        contract !== undefined &&
        !(await isValidContractSignature(ctx.provider, chainId, proposal.safe.address, checked.phase.safeTx, contract))
      ) {
        throw new ReleaseError(ERRORS.PROPOSAL.SIGNATURE_MISMATCH, {
          signer: contract.signer,
          safeTxHash,
          recovered: `nothing that Safe accepts (its isValidSignature refuses it)`,
        });
      }
      const { tried, ...signature } =
        contract !== undefined
          ? { ...contract, tried: `a contract signature of ${contract.signer}` }
          : readWalletSignature(safeTxHash, raw, (signer) =>
              wanted === undefined ? checked.owners.includes(signer) : signer === wanted,
            );
      if (wanted !== undefined && signature.signer !== wanted) {
        throw new ReleaseError(ERRORS.PROPOSAL.SIGNATURE_MISMATCH, { signer: wanted, safeTxHash, recovered: tried });
      }
      if (!checked.owners.includes(signature.signer)) {
        throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
          signer: signature.signer,
          role: proposal.safe.role,
          safe: proposal.safe.address,
        });
      }
      if (checked.signers.includes(signature.signer)) {
        throw new ReleaseError(ERRORS.PROPOSAL.DUPLICATE_SIGNATURE, {
          signer: signature.signer,
          proposal: proposal.id,
        });
      }
      // A nested Safe signing again replaces the signature its Safe no longer accepts.
      checked.phase.signatures = [...checked.phase.signatures.filter((s) => s.signer !== signature.signer), signature];
      const signer = signature.signer;
      checked.phase.acknowledgements = [
        ...(checked.phase.acknowledgements ?? []),
        ...acknowledgements.map((a) => ({ ...a, by: signer })),
      ];
      if (checked.phase.acknowledgements.length === 0) delete checked.phase.acknowledgements;
      await ctx.records.writeProposal(proposal);
      const now = latest?.timestamp ?? 0;
      return {
        proposal,
        signer: signature.signer,
        phase: checked.phase.name,
        safeTxHash,
        signatures: checked.phase.signatures.length,
        threshold: checked.threshold,
        eta: checked.phase.name === "execute" ? (proposal.timelock?.eta ?? null) : null,
        now,
        acknowledged: acknowledgements.map((a) => a.code),
      };
    },
    prefetch,
  );
}
