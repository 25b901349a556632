import { Contract } from "ethers";

import { ERRORS, ReleaseError } from "../../errors.js";
import type { OperationHistory } from "../../history/read-stack-history.js";
import type { Hex } from "../../types.js";
import type { ProposalContext } from "../proposal-context.js";
import type { ProposalRecord } from "../proposal-record.js";
import { encodeCancel, TIMELOCK_ABI } from "../timelock-operation.js";
import type { ProposalKindModule, SafeRole } from "./kind.js";
import { call, DESCRIPTION_OPTION, optional, required } from "./shared.js";

/**
 * Cancels a pending timelock operation: a proposal's, or any operation the timelock's history shows
 * pending (one scheduled outside the toolkit: `release status` lists its id). Refused unless it is
 * pending on chain right now (RS3019). The guardian cancels by default; the owners may too.
 *
 * JSON-RPC: eth_call (isOperationPending, getTimestamp).
 */
export const cancel: ProposalKindModule = {
  name: "cancel",
  summary:
    "Draft the cancellation of a pending timelock operation, by proposal id or operation id (guardian Safe by default, at once)",
  safes: ["guardian", "owners"],
  viaTimelock: false,
  emergency: true,
  options: [
    {
      name: "target",
      description: "The scheduled proposal's id, or a pending operation's id (0x + 64 hex digits)",
      type: "positional",
      required: true,
    },
    { name: "by", description: 'Which Safe cancels: "guardian" (default) or "owners"', type: "string" },
    DESCRIPTION_OPTION,
  ],

  validate(options) {
    const by = optional(options, "by") ?? "guardian";
    if (by !== "guardian" && by !== "owners") {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--by",
        value: JSON.stringify(by),
        reason: 'expected "guardian" or "owners"',
        task: "release propose cancel",
      });
    }
  },

  async draft({ ctx, stack, options, history }) {
    const what = required(options, "target");
    const by = optional(options, "by") ?? "guardian";
    const target = await operationToCancel(ctx, what, history.operations);
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const [pending, timestamp] = (await Promise.all([
      timelock.isOperationPending!(target.operationId),
      timelock.getTimestamp!(target.operationId),
    ])) as [boolean, bigint];
    if (!pending) {
      const state = timestamp === 1n ? "already executed" : "not scheduled on chain";
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_SCHEDULED, { proposal: what, state });
    }
    return {
      subject: target.subject,
      description: optional(options, "description") ?? target.description,
      role: by as SafeRole,
      calls: [call(stack.timelock.address, stack.timelock.contract, TIMELOCK_ABI, encodeCancel(target.operationId))],
      extra: {
        cancels: {
          operationId: target.operationId,
          ...(target.proposal === undefined ? {} : { proposal: target.proposal }),
        },
      },
    };
  },

  calls(proposal, stack) {
    const id = proposal.cancels?.operationId;
    if (id === undefined || !/^0x[0-9a-f]{64}$/.test(id)) return "it names no timelock operation to cancel";
    return [{ to: stack.timelock.address, data: encodeCancel(id) }];
  },
};

async function operationToCancel(
  ctx: ProposalContext,
  what: string,
  operations: OperationHistory[],
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
  if (target === undefined)
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: what, network: ctx.network });
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
