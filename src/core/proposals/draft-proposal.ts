import { Contract } from "ethers";

import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { encodeMultiSend, MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import { hashSafeTx, newSafeTx, type SafeTx } from "../safe/safe-tx.js";
import { newProposalId, nextSafeNonce, proposalBase, proposalSalt, type ProposalContext } from "./proposal-context.js";
import type { KindDraft, ProposalKindModule } from "./kinds/kind.js";
import type { ProposalAction, ProposalPhase, ProposalRecord } from "./proposal-record.js";
import {
  encodeSchedule,
  NO_PREDECESSOR,
  TIMELOCK_ABI,
  timelockOperationId,
  type TimelockOperation,
} from "./timelock-operation.js";

/** A phase as drafted: its Safe transaction and hashes, no signature yet. */
export function draftPhase(name: ProposalPhase["name"], chainId: number, safe: Address, tx: SafeTx): ProposalPhase {
  return { name, safeTx: tx, hashes: hashSafeTx(chainId, safe, tx), signatures: [], executed: null };
}

export interface DraftCall {
  to: Address;
  value: string;
  data: Hex;
  action: ProposalAction;
}

export interface DraftProposalParameters {
  ctx: ProposalContext;
  stack: StackRecord;
  chainId: number;
  kind: ProposalKindModule;
  draft: KindDraft;
}

/**
 * Turns the calls a proposal makes into its Safe transaction(s) and writes the proposal file.
 *
 * Through the timelock, all calls form ONE operation (scheduleBatch when several): they execute
 * together or not at all, which matters for an upgrade that must clear the rollback target in the
 * same breath. Directly, several calls go through MultiSendCallOnly (a delegatecall to a contract
 * that refuses nested delegatecalls), never any other delegatecall.
 *
 * JSON-RPC: eth_call (Safe nonce, timelock getMinDelay).
 */
export async function draftProposal(params: DraftProposalParameters): Promise<ProposalRecord> {
  const { ctx, stack, chainId, kind, draft } = params;
  const { calls } = draft;
  const id = await newProposalId(ctx, kind.name, draft.subject);
  const safe = stack.safes[draft.role].address;
  const nonce = await nextSafeNonce(ctx, safe);
  const base = {
    id,
    kind: kind.name,
    chainId,
    description: draft.description,
    safe: { role: draft.role, address: safe },
    actions: calls.map((c) => c.action),
    ...draft.extra,
  };

  let proposal: ProposalRecord;
  if (kind.viaTimelock) {
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const operation: TimelockOperation = {
      targets: calls.map((c) => c.to),
      values: calls.map((c) => c.value),
      payloads: calls.map((c) => c.data),
      predecessor: NO_PREDECESSOR,
      salt: proposalSalt(ctx.network, id),
      delay: Number((await timelock.getMinDelay!()) as bigint),
    };
    const schedule = newSafeTx({ to: stack.timelock.address, data: encodeSchedule(operation), nonce });
    proposal = proposalBase(ctx, {
      ...base,
      timelock: { address: stack.timelock.address, operation, id: timelockOperationId(operation), eta: null },
      phases: [
        draftPhase("schedule", chainId, safe, schedule),
        { name: "execute", safeTx: null, hashes: null, signatures: [], executed: null },
      ],
    });
  } else {
    const tx =
      calls.length === 1
        ? newSafeTx({ to: calls[0]!.to, value: calls[0]!.value, data: calls[0]!.data, nonce })
        : newSafeTx({ to: MULTI_SEND_CALL_ONLY, data: encodeMultiSend(calls), operation: 1, nonce });
    proposal = proposalBase(ctx, { ...base, phases: [draftPhase("direct", chainId, safe, tx)] });
  }
  await ctx.records.writeProposal(proposal);
  return proposal;
}
