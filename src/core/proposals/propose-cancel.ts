import { Contract } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import { draftProposal } from "./draft-proposal.js";
import { loadStack, type ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";
import { encodeCancel, TIMELOCK_ABI } from "./timelock-operation.js";

export interface ProposeCancelParameters {
  ctx: ProposalContext;
  /** The id of the scheduled proposal to cancel. */
  proposal: string;
  /** Which Safe cancels: the guardian by default (it exists to stop things), or the owners. */
  by: "guardian" | "owners";
  description?: string;
}

/**
 * Drafts the cancellation of a scheduled timelock operation. Refused unless the operation is
 * pending on chain right now (RS3019): a never-scheduled proposal needs no cancel, an executed one
 * cannot be undone this way.
 *
 * JSON-RPC: eth_call (isOperationPending, getTimestamp, Safe nonce).
 */
export async function proposeCancel(params: ProposeCancelParameters): Promise<ProposalRecord> {
  const { ctx } = params;
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const { stack, chainId } = await loadStack(ctx);
    const target = await ctx.records.readProposal(params.proposal);
    if (target === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
    }
    if (target.timelock === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, {
        proposal: target.id,
        state: "it does not go through the timelock",
      });
    }
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const [pending, timestamp] = (await Promise.all([
      timelock.isOperationPending!(target.timelock.id),
      timelock.getTimestamp!(target.timelock.id),
    ])) as [boolean, bigint];
    if (!pending) {
      const state = timestamp === 1n ? "already executed" : "not scheduled on chain";
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, { proposal: target.id, state });
    }
    const data = encodeCancel(target.timelock.id);
    return await draftProposal({
      ctx,
      stack,
      chainId,
      kind: "cancel",
      subject: target.id.split("-")[0]!,
      description: params.description ?? `Cancel ${target.id}: ${target.description}`,
      role: params.by,
      calls: [
        {
          to: stack.timelock.address,
          value: "0",
          data,
          action: {
            target: stack.timelock.address,
            contract: "ReleaseTimelock",
            method: "cancel(bytes32)",
            args: [target.timelock.id],
            value: "0",
          },
        },
      ],
      viaTimelock: false,
      extra: { cancels: { proposal: target.id, operationId: target.timelock.id } },
    });
  } finally {
    await release();
  }
}
