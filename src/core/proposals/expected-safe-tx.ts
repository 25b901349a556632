import { getAddress, ZeroAddress, ZeroHash } from "ethers";

import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { encodeMultiSend, MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import type { SafeTx } from "../safe/safe-tx.js";
import { GOVERNED_CALLS } from "./governed-calls.js";
import type { ProposalKind, ProposalRecord } from "./proposal-record.js";
import { encodeCancel, encodeExecute, encodeSchedule, timelockOperationId } from "./timelock-operation.js";

/** Which Safe may run each kind, and whether it goes through the timelock. */
const ROUTES: Record<ProposalKind, { roles: Array<"owners" | "guardian">; viaTimelock: boolean }> = {
  upgrade: { roles: ["owners"], viaTimelock: true },
  unpause: { roles: ["owners"], viaTimelock: true },
  rollback: { roles: ["owners"], viaTimelock: true },
  pause: { roles: ["guardian"], viaTimelock: false },
  "instant-rollback": { roles: ["guardian"], viaTimelock: false },
  cancel: { roles: ["guardian", "owners"], viaTimelock: false },
};

interface Call {
  to: Address;
  data: Hex;
}

/**
 * The Safe transaction the toolkit itself drafts for this proposal's phase, rebuilt from what the
 * proposal means (its kind, proxy, new implementation and upgrade call, or the operation it
 * cancels) and from the recorded stack, never from the stored transaction. Returns the reason when
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
  const route = ROUTES[proposal.kind];
  if (route === undefined) return `unknown kind "${String(proposal.kind)}"`;
  if (!route.roles.includes(proposal.safe.role))
    return `a ${proposal.kind} is never run by the ${proposal.safe.role} Safe`;
  if ((phase === "direct") === route.viaTimelock) return `a ${proposal.kind} has no ${phase} phase`;

  const calls = expectedCalls(proposal, stack);
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
  if (!route.viaTimelock) {
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

function expectedCalls(proposal: ProposalRecord, stack: StackRecord): Call[] | string {
  const proxies = new Set(Object.values(stack.proxies).map((p) => p.address));
  const proxy = () => {
    const record = proposal.proxy === undefined ? undefined : stack.proxies[proposal.proxy.name];
    return record !== undefined && record.address === proposal.proxy?.address ? record : undefined;
  };
  const encode = (fn: "pause" | "unpause" | "clearRollbackTarget") => GOVERNED_CALLS.encodeFunctionData(fn) as Hex;
  const upgradeTo = (to: Address, call: Hex) =>
    GOVERNED_CALLS.encodeFunctionData("upgradeToAndCall", [to, call]) as Hex;

  switch (proposal.kind) {
    case "pause":
    case "unpause": {
      const targets = proposal.actions.map((a) => a.target);
      if (targets.length === 0 || targets.some((t) => !proxies.has(t)))
        return "it pauses something that is not a proxy of the stack";
      return targets.map((to) => ({ to, data: encode(proposal.kind as "pause" | "unpause") }));
    }
    case "upgrade":
    case "rollback":
    case "instant-rollback": {
      const record = proxy();
      const impl = proposal.implementation;
      if (record === undefined) return "its proxy is not the recorded proxy of that name";
      if (impl === undefined || !/^0x[0-9a-fA-F]{40}$/.test(impl.to) || impl.to !== getAddress(impl.to)) {
        return "it names no valid implementation";
      }
      if (proposal.kind === "rollback" && !record.history.some((h) => h.address === impl.to)) {
        return `${impl.to} is not an earlier implementation of ${proposal.proxy!.name}`;
      }
      const call = proposal.kind === "upgrade" ? (impl.call ?? "0x") : "0x";
      if (!/^0x([0-9a-f]{2})*$/.test(call)) return "its upgrade call is not hex";
      const calls: Call[] = [{ to: record.address, data: upgradeTo(impl.to, call) }];
      if (proposal.kind !== "instant-rollback" && impl.clearsRollbackTarget) {
        calls.push({ to: record.address, data: encode("clearRollbackTarget") });
      }
      return calls;
    }
    case "cancel": {
      const id = proposal.cancels?.operationId;
      if (id === undefined || !/^0x[0-9a-f]{64}$/.test(id)) return "it names no timelock operation to cancel";
      return [{ to: stack.timelock.address, data: encodeCancel(id) }];
    }
  }
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
