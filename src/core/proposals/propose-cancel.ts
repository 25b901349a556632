import { Contract } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { draftProposal } from "./draft-proposal.js";
import type { ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";
import { encodeCancel, TIMELOCK_ABI } from "./timelock-operation.js";
import { withProposals } from "./with-proposals.js";
import type { Hex } from "../types.js";

export interface ProposeCancelParameters {
  ctx: ProposalContext;
  /**
   * What to cancel: the id of a scheduled proposal, or a timelock operation id (0x + 64 hex), for
   * an operation someone scheduled outside the toolkit (`release status` lists them).
   */
  proposal: string;
  /** Which Safe cancels: the guardian by default (it exists to stop things), or the owners. */
  by: "guardian" | "owners";
  description?: string;
}

/**
 * Drafts the cancellation of a scheduled timelock operation: a proposal's, or any pending one found
 * in the timelock's history. Refused unless the operation is pending on chain right now (RS3019):
 * a never-scheduled proposal needs no cancel, an executed one cannot be undone this way.
 *
 * JSON-RPC: those of withProposals; eth_call (isOperationPending, getTimestamp, Safe nonce).
 */
export async function proposeCancel(params: ProposeCancelParameters): Promise<ProposalRecord> {
  const { ctx } = params;
  return withProposals(ctx, async ({ stack, chainId, history }) => {
    const target = await operationToCancel(ctx, params.proposal, history.operations);
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const [pending, timestamp] = (await Promise.all([
      timelock.isOperationPending!(target.operationId),
      timelock.getTimestamp!(target.operationId),
    ])) as [boolean, bigint];
    if (!pending) {
      const state = timestamp === 1n ? "already executed" : "not scheduled on chain";
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, { proposal: params.proposal, state });
    }
    const data = encodeCancel(target.operationId);
    return draftProposal({
      ctx,
      stack,
      chainId,
      kind: "cancel",
      subject: target.subject,
      description: params.description ?? target.description,
      role: params.by,
      calls: [
        {
          to: stack.timelock.address,
          value: "0",
          data,
          action: {
            target: stack.timelock.address,
            contract: stack.timelock.contract,
            method: "cancel(bytes32)",
            args: [target.operationId],
            value: "0",
          },
        },
      ],
      viaTimelock: false,
      extra: {
        cancels: {
          operationId: target.operationId,
          ...(target.proposal === undefined ? {} : { proposal: target.proposal }),
        },
      },
    });
  });
}

async function operationToCancel(
  ctx: ProposalContext,
  what: string,
  operations: Array<{ id: Hex; state: string }>,
): Promise<{ operationId: Hex; proposal?: string; subject: string; description: string }> {
  if (/^0x[0-9a-fA-F]{64}$/.test(what)) {
    const operationId = what.toLowerCase() as Hex;
    const owner = (await ctx.records.listProposals()).find((p) => p.timelock?.id.toLowerCase() === operationId);
    if (owner !== undefined) return fromProposal(owner);
    if (!operations.some((op) => op.id.toLowerCase() === operationId)) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, {
        proposal: what,
        state: "the timelock's history has no such operation",
      });
    }
    return {
      operationId,
      subject: operationId.slice(2, 10),
      description: `Cancel timelock operation ${operationId}, which no proposal explains`,
    };
  }
  const target = await ctx.records.readProposal(what);
  if (target === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: what, network: ctx.network });
  }
  return fromProposal(target);
}

function fromProposal(target: ProposalRecord): {
  operationId: Hex;
  proposal: string;
  subject: string;
  description: string;
} {
  if (target.timelock === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, {
      proposal: target.id,
      state: "it does not go through the timelock",
    });
  }
  return {
    operationId: target.timelock.id,
    proposal: target.id,
    subject: target.id.split("-")[0]!,
    description: `Cancel ${target.id}: ${target.description}`,
  };
}
