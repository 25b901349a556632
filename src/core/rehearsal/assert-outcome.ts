import { Contract } from "ethers";

import { inspectStack } from "../governance/inspect-stack.js";
import { findKind } from "../proposals/kinds/registry.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import { TIMELOCK_ABI } from "../proposals/timelock-operation.js";
import type { StackRecord } from "../records/stack-record.js";
import { checkDeployedCode } from "../verify/check-deployed-code.js";
import type { ProposalRehearsal, RehearsalAssertion, RehearseProposalsParameters } from "./rehearse-proposals.js";
import type { StateSnapshot } from "./snapshot-state.js";

/**
 * What must hold after a rehearsed proposal, from what its kind expects and the state before it:
 * governance intact, no ETH moved, the expected implementation with the compiled code, pause state,
 * rollback target and window, preserved state, a cancelled operation gone; then the project's checks.
 *
 * JSON-RPC: those of inspectStack, eth_getCode, eth_call (isOperationPending) and the checks' own.
 */
export async function assertOutcome(
  params: RehearseProposalsParameters,
  proposal: ProposalRecord,
  stack: StackRecord,
  before: StateSnapshot,
  after: StateSnapshot,
): Promise<RehearsalAssertion[]> {
  const { fork } = params;
  const out: RehearsalAssertion[] = [];
  const expect = (name: string, expected: unknown, actual: unknown) =>
    out.push({
      name,
      ok: String(expected).toLowerCase() === String(actual).toLowerCase(),
      expected: String(expected),
      actual: String(actual),
    });

  const status = await inspectStack({
    provider: fork.provider,
    stack,
    proposals: await params.forkRecords.listProposals(),
    artifacts: params.artifacts,
  });
  out.push({
    name: "governance intact: every role holder, Safe owner, module, guard and pending operation as intended",
    ok: status.ok,
    expected: "no findings",
    actual: status.ok ? "no findings" : status.findings.map((f) => `${f.subject}: ${f.actual}`).join("; "),
  });
  for (const [label, balance] of Object.entries(before.balances))
    expect(`no ETH moved: ${label}`, balance, after.balances[label]);

  const impl = proposal.implementation;
  const kind = findKind(proposal.kind);
  const names = Object.keys(before.proxies);
  for (const name of names) {
    const was = before.proxies[name]!;
    const now = after.proxies[name];
    if (now === undefined) continue;
    // One proxy: plain names; several (a batched pause): each assertion names its proxy.
    const label = (text: string) => (names.length > 1 ? `${name}: ${text}` : text);
    const expected = kind?.expect?.(proposal, was) ?? {};
    expect(label("implementation"), expected.implementation ?? was.implementation, now.implementation);
    if (expected.implementation !== undefined && impl !== undefined) {
      const compiled = await params.compiledCode.read(impl.contract);
      const match =
        compiled === undefined
          ? undefined
          : await checkDeployedCode({ provider: fork.provider, address: impl.to, compiled });
      expect(
        label(`implementation code is ${impl.contract} as compiled`),
        "exact",
        match?.status ?? "not compiled by this project",
      );
    }
    expect(label("paused"), expected.paused ?? was.paused, now.paused);
    const target = "rollbackTarget" in expected ? expected.rollbackTarget : was.rollbackTarget;
    expect(label("rollback target"), target ?? "none", now.rollbackTarget ?? "none");
    expect(label("rollback window"), was.rollbackWindow, now.rollbackWindow);
    for (const [getter, value] of Object.entries(was.getters)) {
      const after = now.getters[getter];
      if (after !== undefined) expect(label(`state preserved: ${getter}()`), value, after);
    }
  }
  if (proposal.cancels !== undefined) {
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, fork.provider);
    expect(
      "cancelled operation is no longer pending",
      false,
      await timelock.isOperationPending!(proposal.cancels.operationId),
    );
  }
  for (const check of params.checks) {
    try {
      await check.run({ provider: fork.provider, stack, proposal });
      out.push({ name: `project check: ${check.name}`, ok: true, expected: "passes", actual: "passes" });
    } catch (error) {
      out.push({
        name: `project check: ${check.name}`,
        ok: false,
        expected: "passes",
        actual: (error as Error).message.split("\n")[0]!,
      });
    }
  }
  return out;
}

export function diffStates(before: StateSnapshot, after: StateSnapshot): ProposalRehearsal["diff"] {
  const diff: ProposalRehearsal["diff"] = [];
  const add = (what: string, a: unknown, b: unknown) => {
    if (String(a) !== String(b)) diff.push({ what, before: String(a), after: String(b) });
  };
  for (const [name, was] of Object.entries(before.proxies)) {
    const now = after.proxies[name];
    if (now === undefined) continue;
    const prefix = Object.keys(before.proxies).length > 1 ? `${name} ` : "";
    add(`${prefix}implementation`, was.implementation, now.implementation);
    add(`${prefix}paused`, was.paused, now.paused);
    add(`${prefix}rollback target`, was.rollbackTarget ?? "none", now.rollbackTarget ?? "none");
    const getters = new Set([...Object.keys(was.getters), ...Object.keys(now.getters)]);
    for (const g of getters) add(`${prefix}${g}()`, was.getters[g] ?? "(absent)", now.getters[g] ?? "(absent)");
  }
  for (const label of Object.keys(before.balances))
    add(`ETH balance: ${label}`, before.balances[label], after.balances[label]);
  return diff;
}
