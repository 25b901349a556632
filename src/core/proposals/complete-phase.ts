import { Contract, getAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { IMPLEMENTATION_SLOT } from "../governance/roles.js";
import type { StackRecord } from "../records/stack-record.js";
import { newSafeTx, type SafeTx } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { findKind } from "./kinds/registry.js";
import { draftPhase } from "./draft-proposal.js";
import { nextSafeNonce, type ProposalContext } from "./proposal-context.js";
import type { ProposalPhase, ProposalRecord, ProposalStatus } from "./proposal-record.js";
import { encodeExecute, TIMELOCK_ABI } from "./timelock-operation.js";

export interface ExecutedPhase {
  stack: StackRecord;
  chainId: number;
  proposal: ProposalRecord;
  phase: ProposalPhase & { safeTx: SafeTx };
}

export interface ExecutionEvidence {
  txHash: Hex;
  block: number;
  /** Executed by someone else (the Safe app, a script), found on chain rather than sent here. */
  outside: boolean;
  /** For an execution found in the history: the implementations its Upgraded events set, by proxy. */
  upgraded?: Record<Address, Address>;
}

/**
 * Records that a phase ran, as the chain shows it, and moves the proposal on: after scheduling,
 * the ETA (read from the timelock, not computed) and a freshly built execute phase; after the last
 * phase, the proposal is executed and the stack records take its effect (see applyToRecords).
 *
 * JSON-RPC: eth_getBlockByNumber; eth_call (timelock getTimestamp, Safe nonce) after a schedule;
 * eth_getStorageAt after an implementation switch that `strict` confirms.
 */
export async function completePhase(
  ctx: ProposalContext,
  { stack, chainId, proposal, phase }: ExecutedPhase,
  evidence: ExecutionEvidence,
  strict: boolean,
): Promise<{ eta: number | null }> {
  const block = await ctx.provider.getBlock(evidence.block);
  phase.executed = {
    txHash: evidence.txHash,
    block: evidence.block,
    timestamp: block?.timestamp ?? 0,
    ...(evidence.outside ? { outside: true } : {}),
  };
  const at = ctx.now().toISOString();
  const setStatus = (status: ProposalStatus) => {
    proposal.status = status;
    proposal.history.push({
      status,
      at,
      txHash: evidence.txHash,
      ...(evidence.outside ? { note: "executed outside the toolkit; found on chain by its safeTxHash" } : {}),
    });
  };
  if (phase.name === "schedule" && proposal.timelock !== undefined) {
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const timestamp = Number((await timelock.getTimestamp!(proposal.timelock.id)) as bigint);
    const eta = timestamp > 1 ? timestamp : phase.executed.timestamp + proposal.timelock.operation.delay;
    proposal.timelock.eta = eta;
    const execute = newSafeTx({
      to: stack.timelock.address,
      data: encodeExecute(proposal.timelock.operation),
      nonce: await nextSafeNonce(ctx, proposal.safe.address),
    });
    proposal.phases[1] = draftPhase("execute", chainId, proposal.safe.address, execute);
    setStatus("scheduled");
    await ctx.records.writeProposal(proposal);
    return { eta };
  }
  setStatus("executed");
  await applyToRecords(ctx, proposal, stack, strict, evidence);
  await ctx.records.writeProposal(proposal);
  return { eta: null };
}

/**
 * Brings the records up to date with what an executed proposal changed: a cancel marks the
 * proposal whose operation it cancelled (found by operation id, not by a name in the file); the
 * kind records the rest (an implementation in the proxy's history, a new delay, new owners).
 * `strict` (right after our own execution) first confirms an implementation switch in the proxy's
 * ERC-1967 slot (RS3025 otherwise), while an execution found later in the history may since have
 * been followed by others, which are recorded in turn.
 */
async function applyToRecords(
  ctx: ProposalContext,
  proposal: ProposalRecord,
  stack: StackRecord,
  strict: boolean,
  evidence: ExecutionEvidence,
): Promise<void> {
  if (proposal.cancels !== undefined) {
    const id = proposal.cancels.operationId.toLowerCase();
    // Only what the timelock says: an operation not cancelled on chain stays as it is.
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    if (((await timelock.getTimestamp!(id)) as bigint) !== 0n) return;
    for (const cancelled of await ctx.records.listProposals()) {
      if (cancelled.timelock?.id.toLowerCase() !== id || cancelled.status === "executed") continue;
      cancelled.status = "cancelled";
      cancelled.history.push({ status: "cancelled", at: ctx.now().toISOString(), note: `cancelled by ${proposal.id}` });
      await ctx.records.writeProposal(cancelled);
    }
    return;
  }
  const impl = proposal.implementation;
  const record = proposal.proxy === undefined ? undefined : stack.proxies[proposal.proxy.name];
  if (strict && impl !== undefined && record !== undefined) {
    const slot = await ctx.provider.getStorage(record.address, IMPLEMENTATION_SLOT);
    const onChain = getAddress(`0x${slot.slice(-40)}`) as Address;
    if (onChain !== impl.to) {
      throw new ReleaseError(ERRORS.PROPOSAL.UNEXPECTED_OUTCOME, {
        proposal: proposal.id,
        proxy: proposal.proxy!.name,
        expected: impl.to,
        actual: onChain,
        network: ctx.network,
      });
    }
  }
  if (!strict && impl !== undefined && record !== undefined && evidence.upgraded?.[record.address] !== impl.to) {
    // The chain did not switch this proxy to the file's implementation in that transaction: the
    // records keep what they had, and release status reports the difference.
    ctx.onEvent({
      type: "warning",
      message: `${proposal.id}: executed in ${evidence.txHash}, but that transaction did not switch ${proposal.proxy!.name} to ${impl.to}; its records were left as they were.`,
    });
    return;
  }
  const kind = findKind(proposal.kind);
  if (kind?.apply === undefined) return;
  kind.apply(proposal, stack);
  await ctx.records.writeStack(stack);
}
