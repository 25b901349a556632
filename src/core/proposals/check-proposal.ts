import { getAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { StackState } from "../governance/inspect-stack.js";
import type { Address, StackRecord } from "../records/stack-record.js";
import {
  approvedHashSignature,
  hashSafeTx,
  isValidContractSignature,
  recoverSafeSignature,
  type SafeSignature,
  type SafeTx,
  type SafeTxHashes,
} from "../safe/safe-tx.js";
import { safeContract, type ProposalContext } from "./proposal-context.js";
import type { ProposalPhase, ProposalRecord } from "./proposal-record.js";
import { diffSafeTx, expectedSafeTx } from "./expected-safe-tx.js";

export interface CheckedPhase {
  phase: ProposalPhase & { safeTx: SafeTx };
  hashes: SafeTxHashes;
  owners: Address[];
  threshold: number;
  /** Who signed: the stored signatures that count, each verified against these hashes and the current owners. */
  signers: Address[];
  /** The signatures that count, as execTransaction gets them. */
  signatures: SafeSignature[];
  /**
   * Nested Safes whose stored contract signature that Safe no longer accepts (its owners or
   * threshold changed since): not counted, and replaced when it signs again.
   */
  stale: Address[];
}

/**
 * Everything sign and execute refuse to work with, checked from the raw fields and the chain:
 * another network (RS3014), a finished or cancelled proposal (RS3011, RS3010), and a file that
 * does not hold together (RS3013). The stored Safe transaction must be exactly the one the toolkit
 * builds from what the proposal says it does (see expectedSafeTx: no other target, value, call,
 * refund or delegatecall, no field of another type), its stored hashes must be the recomputed ones,
 * and every signature must recover to its signer, once per owner (any field edited after signing
 * changes the hash).
 *
 * JSON-RPC: eth_call (getOwners and getThreshold unless `state` has them, approvedHashes, a nested
 * Safe's isValidSignature).
 */
export async function checkProposal(
  ctx: ProposalContext,
  proposal: ProposalRecord,
  stack: StackRecord,
  chainId: number,
  state?: StackState,
): Promise<CheckedPhase> {
  if (proposal.chainId !== chainId || proposal.network !== ctx.network) {
    throw new ReleaseError(ERRORS.PROPOSAL.WRONG_NETWORK, {
      proposal: proposal.id,
      proposalNetwork: proposal.network,
      proposalChainId: proposal.chainId,
      network: ctx.network,
      chainId,
    });
  }
  if (proposal.status === "cancelled")
    throw new ReleaseError(ERRORS.PROPOSAL.CANCELLED, { proposal: proposal.id, how: "" });
  const phase = proposal.phases.find((p) => p.executed === null);
  if (phase === undefined) throw new ReleaseError(ERRORS.PROPOSAL.ALREADY_EXECUTED, { proposal: proposal.id, how: "" });
  const tampered = (reason: string) => new ReleaseError(ERRORS.PROPOSAL.TAMPERED, { proposal: proposal.id, reason });
  if (phase.safeTx === null) throw tampered(`the ${phase.name} phase has no Safe transaction`);

  const safe = stack.safes[proposal.safe.role].address;
  if (proposal.safe.address !== safe)
    throw tampered(`its Safe ${proposal.safe.address} is not the ${proposal.safe.role} Safe ${safe}`);
  const tx = phase.safeTx;
  if (typeof tx.nonce !== "number" || !Number.isSafeInteger(tx.nonce) || tx.nonce < 0) {
    throw tampered(`its nonce ${JSON.stringify(tx.nonce)} is not a whole number`);
  }
  // The stored transaction must be exactly the one the toolkit builds from what the proposal says
  // it does: this rules out hidden payments, foreign delegatecalls, other targets and values, and
  // any field of the wrong type, whatever else in the file was edited to match.
  const expected = expectedSafeTx(proposal, stack, phase.name, tx.nonce);
  if (typeof expected === "string") throw tampered(expected);
  const difference = diffSafeTx(tx, expected);
  if (difference !== undefined) throw tampered(difference);
  const hashes = hashSafeTx(chainId, safe, tx);
  if (
    phase.hashes === null ||
    phase.hashes.safeTxHash !== hashes.safeTxHash ||
    phase.hashes.domainHash !== hashes.domainHash ||
    phase.hashes.messageHash !== hashes.messageHash
  ) {
    throw tampered(
      `the stored hashes disagree with the transaction's fields (recomputed safeTxHash ${hashes.safeTxHash})`,
    );
  }

  const contract = safeContract(safe, ctx.provider);
  const { owners, threshold } = await readSafeGovernance(ctx, safe, state);
  const ownerSet = new Set(owners.map((o) => getAddress(o)));
  const signers: Address[] = [];
  // Who really signed: recovered from the recomputed hash, or (approveHash) confirmed on chain.
  const verifiedSigner = async (signature: SafeSignature): Promise<Address> => {
    if (signature.kind === "approved-hash") {
      // The Safe checks approvedHashes for these, so must we: the bytes carry no proof of their own.
      const approved = (await contract.approvedHashes!(signature.signer, hashes.safeTxHash)) as bigint;
      if (approved === 0n || signature.data !== approvedHashSignature(signature.signer)) {
        throw tampered(`${signature.signer} has not approved safeTxHash ${hashes.safeTxHash} on chain`);
      }
      return signature.signer;
    }
    const recovered = recoverSafeSignature(hashes.safeTxHash, signature.data);
    if (recovered.signer !== signature.signer) {
      throw tampered(
        `the signature stored for ${signature.signer} recovers to ${recovered.signer}: the transaction changed after it was signed`,
      );
    }
    return recovered.signer;
  };
  const counted: SafeSignature[] = [];
  const stale: Address[] = [];
  for (const signature of phase.signatures) {
    if (signers.includes(signature.signer)) throw tampered(`${signature.signer} signed twice: each owner counts once`);
    if (signature.kind === "contract") {
      // A nested Safe speaks for itself, asked as execTransaction will ask it, at today's owners;
      // an owner first, so that a file cannot make the toolkit call any contract it names.
      if (!ownerSet.has(signature.signer)) {
        throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
          signer: signature.signer,
          role: proposal.safe.role,
          safe,
        });
      }
      if (!(await isValidContractSignature(ctx.provider, chainId, safe, tx, signature))) {
        stale.push(signature.signer);
        continue;
      }
      signers.push(signature.signer);
      counted.push(signature);
      continue;
    }
    const signer = await verifiedSigner(signature);
    if (!ownerSet.has(signer)) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, { signer, role: proposal.safe.role, safe });
    }
    signers.push(signer);
    counted.push(signature);
  }
  return {
    phase: phase as CheckedPhase["phase"],
    hashes,
    owners: [...ownerSet] as Address[],
    threshold: Number(threshold),
    signers,
    signatures: counted,
    stale: stale.filter((s) => !signers.includes(s)),
  };
}

/**
 * A Safe's owners, threshold and nonce: as the command read them with the rest of the stack, at
 * the head it works on (readStackState), or from the chain now when that read has none.
 *
 * JSON-RPC: eth_call (getOwners, getThreshold, nonce), only without `state`.
 */
export async function readSafeGovernance(
  ctx: Pick<ProposalContext, "provider">,
  safe: Address,
  state?: StackState,
): Promise<{ owners: string[]; threshold: bigint; nonce: bigint }> {
  const read = state?.safes[safe]?.calls;
  if (read?.ok === true) return { owners: read.value[0], threshold: read.value[1], nonce: read.value[3] };
  const contract = safeContract(safe, ctx.provider);
  const [owners, threshold, nonce] = (await Promise.all([
    contract.getOwners!(),
    contract.getThreshold!(),
    contract.nonce!(),
  ])) as [string[], bigint, bigint];
  return { owners, threshold, nonce };
}
