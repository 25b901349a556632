import { getAddress, ZeroAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, StackRecord } from "../records/stack-record.js";
import { MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import {
  approvedHashSignature,
  hashSafeTx,
  recoverSafeSignature,
  type SafeTx,
  type SafeTxHashes,
} from "../safe/safe-tx.js";
import { safeContract, type ProposalContext } from "./proposal-context.js";
import type { ProposalPhase, ProposalRecord } from "./proposal-record.js";
import { encodeExecute, encodeSchedule, timelockOperationId } from "./timelock-operation.js";

export interface CheckedPhase {
  phase: ProposalPhase & { safeTx: SafeTx };
  hashes: SafeTxHashes;
  owners: Address[];
  threshold: number;
  /** The stored signatures, each verified against these hashes and the current owners. */
  signers: Address[];
}

/**
 * Everything sign and execute refuse to work with, checked from the raw fields and the chain:
 * another network (RS3014), a finished or cancelled proposal (RS3011, RS3010), and a file that
 * does not hold together (RS3013): hashes that disagree with the fields, a timelock operation that
 * is not the one the calldata schedules, a hidden payment or a delegatecall to anything but
 * MultiSendCallOnly, or a signature that no longer recovers to its signer (any field edited after
 * signing changes the hash, so this catches edits to calldata, target, nonce or chainId).
 *
 * JSON-RPC: eth_call (getOwners, getThreshold).
 */
export async function checkProposal(
  ctx: ProposalContext,
  proposal: ProposalRecord,
  stack: StackRecord,
  chainId: number,
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
  if (BigInt(tx.gasPrice) !== 0n || tx.gasToken !== ZeroAddress || tx.refundReceiver !== ZeroAddress) {
    throw tampered("it pays a refund (gasPrice, gasToken or refundReceiver set): a hidden payment");
  }
  if (tx.operation === 1 && getAddress(tx.to) !== MULTI_SEND_CALL_ONLY) {
    throw tampered(`it delegatecalls ${tx.to}, which is not MultiSendCallOnly: that code would run as the Safe`);
  }
  if (proposal.timelock !== undefined) {
    const { operation } = proposal.timelock;
    if (timelockOperationId(operation) !== proposal.timelock.id)
      throw tampered("the timelock operation id does not match the operation");
    const expected = phase.name === "schedule" ? encodeSchedule(operation) : encodeExecute(operation);
    if (tx.data !== expected || tx.to !== stack.timelock.address || tx.operation !== 0) {
      throw tampered(`the ${phase.name} transaction is not the timelock call for the recorded operation`);
    }
  }

  const contract = safeContract(safe, ctx.provider);
  const [owners, threshold] = (await Promise.all([contract.getOwners!(), contract.getThreshold!()])) as [
    string[],
    bigint,
  ];
  const ownerSet = new Set(owners.map((o) => getAddress(o)));
  const signers: Address[] = [];
  for (const signature of phase.signatures) {
    if (signature.kind === "approved-hash") {
      // An owner approved this hash on chain (Safe.approveHash): the Safe checks approvedHashes,
      // so must we. The signature bytes carry no proof of their own.
      const approved = (await contract.approvedHashes!(signature.signer, hashes.safeTxHash)) as bigint;
      if (approved === 0n || signature.data !== approvedHashSignature(signature.signer)) {
        throw tampered(`${signature.signer} has not approved safeTxHash ${hashes.safeTxHash} on chain`);
      }
      if (!ownerSet.has(signature.signer)) {
        throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
          signer: signature.signer,
          role: proposal.safe.role,
          safe,
        });
      }
      signers.push(signature.signer);
      continue;
    }
    const recovered = recoverSafeSignature(hashes.safeTxHash, signature.data);
    if (recovered.signer !== signature.signer) {
      throw tampered(
        `the signature stored for ${signature.signer} recovers to ${recovered.signer}: the transaction changed after it was signed`,
      );
    }
    if (!ownerSet.has(recovered.signer)) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_AN_OWNER, {
        signer: recovered.signer,
        role: proposal.safe.role,
        safe,
      });
    }
    signers.push(recovered.signer);
  }
  return {
    phase: phase as CheckedPhase["phase"],
    hashes,
    owners: [...ownerSet] as Address[],
    threshold: Number(threshold),
    signers,
  };
}
