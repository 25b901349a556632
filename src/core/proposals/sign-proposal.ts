import { getAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import type { Address, Hex } from "../records/stack-record.js";
import { recoverSafeSignature, SAFE_TX_TYPES, safeDomain, type SafeTx } from "../safe/safe-tx.js";
import { checkProposal } from "./check-proposal.js";
import { loadStack, type ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";

/** Signs EIP-712 typed data with one of the network's accounts (a key from the keystore, a Ledger...). */
export type TypedDataSigner = (
  signer: Address,
  domain: ReturnType<typeof safeDomain>,
  types: typeof SAFE_TX_TYPES,
  message: SafeTx,
) => Promise<string>;

export interface SignProposalParameters {
  ctx: ProposalContext;
  proposal: string;
  /** The owner who signs (or who made `signature`). Required unless `signature` is given. */
  signer?: string;
  /** A signature made elsewhere (a hardware wallet, the Safe app), 65 bytes hex. */
  signature?: string;
  /** The accounts this network can sign with, and how. */
  accounts: Address[];
  signTypedData: TypedDataSigner;
}

export interface SignProposalResult {
  proposal: ProposalRecord;
  signer: Address;
  phase: string;
  safeTxHash: Hex;
  signatures: number;
  threshold: number;
}

/**
 * Adds an owner's signature to the proposal's current phase. Every signature, made here or
 * imported, is recovered and checked before it is stored: over this safeTxHash (RS3003), by an
 * owner of the right Safe (RS3002), not twice (RS3005), well-formed (RS3004).
 *
 * JSON-RPC: eth_call (getOwners, getThreshold); eth_signTypedData_v4 when signing here.
 */
export async function signProposal(params: SignProposalParameters): Promise<SignProposalResult> {
  const { ctx } = params;
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const { stack, chainId } = await loadStack(ctx);
    const proposal = await ctx.records.readProposal(params.proposal);
    if (proposal === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
    }
    const checked = await checkProposal(ctx, proposal, stack, chainId);
    const { safeTxHash } = checked.hashes;
    const wanted = params.signer === undefined ? undefined : (getAddress(params.signer) as Address);

    let raw = params.signature;
    if (raw === undefined) {
      if (wanted === undefined || !params.accounts.includes(wanted)) {
        throw new ReleaseError(ERRORS.PROPOSAL.SIGNER_UNAVAILABLE, {
          network: ctx.network,
          signer: params.signer ?? "(none given)",
        });
      }
      raw = await params.signTypedData(
        wanted,
        safeDomain(chainId, proposal.safe.address),
        SAFE_TX_TYPES,
        checked.phase.safeTx,
      );
    }
    const signature = recoverSafeSignature(safeTxHash, raw);
    if (wanted !== undefined && signature.signer !== wanted) {
      throw new ReleaseError(ERRORS.PROPOSAL.SIGNATURE_MISMATCH, {
        signer: wanted,
        safeTxHash,
        recovered: signature.signer,
      });
    }
    if (!checked.owners.includes(signature.signer)) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
        signer: signature.signer,
        role: proposal.safe.role,
        safe: proposal.safe.address,
      });
    }
    if (checked.signers.includes(signature.signer)) {
      throw new ReleaseError(ERRORS.PROPOSAL.DUPLICATE_SIGNATURE, { signer: signature.signer, proposal: proposal.id });
    }
    checked.phase.signatures.push(signature);
    await ctx.records.writeProposal(proposal);
    return {
      proposal,
      signer: signature.signer,
      phase: checked.phase.name,
      safeTxHash,
      signatures: checked.phase.signatures.length,
      threshold: checked.threshold,
    };
  } finally {
    await release();
  }
}
