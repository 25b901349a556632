import { Contract } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Hex, StackRecord } from "../records/stack-record.js";
import { encodeExecTransaction, encodeSignatures } from "../safe/safe-tx.js";
import type { StackState } from "../governance/inspect-stack.js";
import { checkProposal, readSafeGovernance, type CheckedPhase } from "./check-proposal.js";
import { loadStack, type ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";
import { TIMELOCK_ABI } from "./timelock-operation.js";

export interface PreparedExecution {
  stack: StackRecord;
  chainId: number;
  proposal: ProposalRecord;
  phase: CheckedPhase["phase"];
  /** Calldata of Safe.execTransaction with the final signatures in place (to = the Safe). */
  data: Hex;
}

/**
 * Everything that must hold before a proposal's current phase may execute, and the exact call that
 * would execute it: the file (see checkProposal), the Safe's nonce (RS3007 used, RS3008 earlier
 * ones first), the signatures against the on-chain threshold (RS3006) and the timelock state
 * (RS3009 before the ETA, RS3010 cancelled, RS3011 done). Used by `release execute` before sending
 * and by `release gas <proposal>` to estimate the very same call.
 *
 * JSON-RPC: eth_chainId (without `loaded`: the stack and chain the caller has checked); eth_call
 * (nonce with owners and threshold unless `loaded.state` has them, then approvedHashes; timelock
 * getTimestamp), eth_getBlockByNumber.
 */
export async function prepareExecution(
  ctx: ProposalContext,
  id: string,
  loaded?: { stack: StackRecord; chainId: number; state?: StackState },
): Promise<PreparedExecution> {
  const { stack, chainId, state }: { stack: StackRecord; chainId: number; state?: StackState } =
    loaded ?? (await loadStack(ctx));
  const proposal = await ctx.records.readProposal(id);
  if (proposal === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: id, network: ctx.network });
  }
  // The Safe's nonce is asked with checkProposal's reads (a tampered file still fails first), or
  // taken from the stack as the command read it.
  const [checked, { nonce }] = await Promise.all([
    checkProposal(ctx, proposal, stack, chainId, state),
    readSafeGovernance(ctx, proposal.safe.address, state),
  ]);
  const { phase } = checked;
  const role = proposal.safe.role;
  const current = Number(nonce);
  if (current > phase.safeTx.nonce) {
    throw new ReleaseError(ERRORS.PROPOSAL.NONCE_USED, { nonce: phase.safeTx.nonce, role, current });
  }
  if (current < phase.safeTx.nonce) {
    throw new ReleaseError(ERRORS.PROPOSAL.NONCE_AHEAD, {
      proposal: proposal.id,
      nonce: phase.safeTx.nonce,
      role,
      current,
      before: phase.safeTx.nonce - 1,
    });
  }
  if (checked.signers.length < checked.threshold) {
    throw new ReleaseError(ERRORS.PROPOSAL.NOT_ENOUGH_SIGNATURES, {
      proposal: proposal.id,
      have: checked.signers.length,
      need: checked.threshold,
      role,
      stale:
        checked.stale.length === 0
          ? ""
          : ` (not counted: ${checked.stale.join(", ")}, whose Safe no longer accepts its stored signature)`,
    });
  }
  if (proposal.timelock !== undefined) await assertTimelockState(ctx, proposal, phase.name);
  const data = encodeExecTransaction(phase.safeTx, encodeSignatures(checked.signatures));
  return { stack, chainId, proposal, phase, data };
}

async function assertTimelockState(ctx: ProposalContext, proposal: ProposalRecord, phase: string): Promise<void> {
  const { id, address } = proposal.timelock!;
  const timelock = new Contract(address, TIMELOCK_ABI, ctx.provider);
  const timestamp = Number((await timelock.getTimestamp!(id)) as bigint);
  if (timestamp === 1)
    throw new ReleaseError(ERRORS.PROPOSAL.ALREADY_EXECUTED, {
      proposal: proposal.id,
      how: " (the timelock operation is done)",
    });
  if (phase === "schedule") {
    if (timestamp !== 0)
      throw new ReleaseError(ERRORS.PROPOSAL.ALREADY_EXECUTED, {
        proposal: proposal.id,
        how: " (it is already scheduled)",
      });
    return;
  }
  if (timestamp === 0)
    throw new ReleaseError(ERRORS.PROPOSAL.CANCELLED, { proposal: proposal.id, how: " on the timelock" });
  const now = (await ctx.provider.getBlock("latest"))?.timestamp ?? 0;
  if (now < timestamp) {
    const minutes = Math.ceil((timestamp - now) / 60);
    throw new ReleaseError(ERRORS.PROPOSAL.NOT_READY, {
      proposal: proposal.id,
      eta: new Date(timestamp * 1000).toISOString(),
      remaining: minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`,
    });
  }
}
