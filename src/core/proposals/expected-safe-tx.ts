import { ZeroAddress, ZeroHash } from "ethers";

import type { Address, StackRecord } from "../records/stack-record.js";
import { encodeMultiSend, MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import type { SafeTx } from "../safe/safe-tx.js";
import { findKind } from "./kinds/registry.js";
import type { ProposalRecord } from "./proposal-record.js";
import { encodeExecute, encodeSchedule, timelockOperationId } from "./timelock-operation.js";

/**
 * The Safe transaction the toolkit itself drafts for this proposal's phase, rebuilt from what the
 * proposal means (its kind's calls from its readable fields: proxy, new implementation and upgrade
 * call, the operation it cancels...) and from the recorded stack, never from the stored transaction. Returns the reason when
 * the proposal asks for something no proposal of its kind may do: a target outside the stack, a
 * Safe of the wrong role, a rollback to code the proxy never ran.
 *
 * Comparing a stored transaction with this one, field by field and type by type, is what makes
 * "what `review` shows is what executes" hold: an edited file can only ever carry the transaction
 * its own readable fields describe.
 */
export function expectedSafeTx(
  proposal: ProposalRecord,
  stack: StackRecord,
  phase: "direct" | "schedule" | "execute",
  nonce: number,
): SafeTx | string {
  const kind = findKind(proposal.kind);
  if (kind === undefined) return `unknown kind "${String(proposal.kind)}"`;
  if (!kind.safes.includes(proposal.safe.role))
    return `a ${proposal.kind} is never run by the ${proposal.safe.role} Safe`;
  if ((phase === "direct") === kind.viaTimelock) return `a ${proposal.kind} has no ${phase} phase`;

  const calls = kind.calls(proposal, stack);
  if (typeof calls === "string") return calls;
  const base = {
    value: "0",
    safeTxGas: "0",
    baseGas: "0",
    gasPrice: "0",
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    nonce,
  };
  if (!kind.viaTimelock) {
    return calls.length === 1
      ? { ...base, to: calls[0]!.to, data: calls[0]!.data, operation: 0 }
      : {
          ...base,
          to: MULTI_SEND_CALL_ONLY,
          data: encodeMultiSend(calls.map((c) => ({ ...c, value: "0" }))),
          operation: 1,
        };
  }
  const timelock = proposal.timelock;
  if (timelock === undefined) return `a ${proposal.kind} must carry its timelock operation`;
  if (timelock.address !== stack.timelock.address) return `its timelock ${timelock.address} is not the stack's`;
  const { operation } = timelock;
  const same =
    operation.targets.length === calls.length &&
    calls.every(
      (c, i) => operation.targets[i] === c.to && operation.payloads[i] === c.data && operation.values[i] === "0",
    );
  if (!same) return "the timelock operation's calls are not the ones its kind, proxy and implementation describe";
  if (operation.predecessor !== ZeroHash)
    return "its timelock operation has a predecessor, which the toolkit never sets";
  if (!Number.isSafeInteger(operation.delay) || operation.delay < 0)
    return "its timelock delay is not a whole number of seconds";
  if (!/^0x[0-9a-f]{64}$/.test(operation.salt)) return "its timelock salt is not 32 bytes";
  if (timelockOperationId(operation) !== timelock.id) return "the timelock operation id does not match the operation";
  const data = phase === "schedule" ? encodeSchedule(operation) : encodeExecute(operation);
  return { ...base, to: stack.timelock.address, data, operation: 0 };
}

/** Field by field, type by type: a string "1" is not the operation 1. */
export function diffSafeTx(actual: SafeTx, expected: SafeTx): string | undefined {
  for (const key of Object.keys(expected) as Array<keyof SafeTx>) {
    if (actual[key] !== expected[key])
      return `its ${key} is ${JSON.stringify(actual[key])}, where the toolkit builds ${JSON.stringify(expected[key])}`;
  }
  const extra = Object.keys(actual).filter((k) => !(k in expected));
  return extra.length > 0 ? `it carries unknown fields: ${extra.join(", ")}` : undefined;
}

/**
 * True when every built phase of the file is exactly the transaction its readable fields describe
 * (and its timelock id is the id of its operation). Only such files may explain what happened on
 * chain or drive the records: a decoy file claiming an operation id, or reusing an executed
 * transaction's fields with other labels, is ignored.
 */
export function holdsTogether(proposal: ProposalRecord, stack: StackRecord): boolean {
  if (proposal.timelock !== undefined && timelockOperationId(proposal.timelock.operation) !== proposal.timelock.id) {
    return false;
  }
  return proposal.phases.every((phase) => {
    if (phase.safeTx === null) return true;
    const expected = expectedSafeTx(proposal, stack, phase.name, phase.safeTx.nonce);
    return typeof expected !== "string" && diffSafeTx(phase.safeTx, expected) === undefined;
  });
}
