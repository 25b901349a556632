import { getAddress } from "ethers";

import { ERRORS, ReleaseError } from "../../errors.js";
import type { ContractArtifact } from "../../governance/artifacts.js";
import type { ProxyRecord, StackRecord } from "../../records/stack-record.js";
import type { Address, Hex } from "../../types.js";
import { describeCall } from "../describe-call.js";
import type { DraftCall } from "../draft-proposal.js";
import { GOVERNED_CALLS } from "../governed-calls.js";
import type { ProposalContext } from "../proposal-context.js";
import type { ProposalRecord } from "../proposal-record.js";
import type { KindCall, KindOption, KindOptions } from "./kind.js";

/** Options most kinds share. */
export const PROXY_OPTION: KindOption = {
  name: "proxy",
  description: "Name of the proxy in the records, as `release status` lists it",
  type: "string",
  required: true,
};
export const DESCRIPTION_OPTION: KindOption = {
  name: "description",
  description: "A note for the signers; review shows it as the proposer's claim, next to what the calls do",
  type: "string",
};

/** A required option's value, trimmed; RS1009 when it is missing or empty. */
export function required(options: KindOptions, name: string): string {
  const value = options[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option: `--${kebab(name)}` });
  }
  return value.trim();
}

/** An optional string option; undefined when not given. */
export function optional(options: KindOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export async function readArtifact(ctx: ProposalContext, name: string): Promise<ContractArtifact> {
  const artifact = await ctx.artifacts.read(name);
  if (artifact === undefined) throw new ReleaseError(ERRORS.DEPLOY.UNKNOWN_CONTRACT, { contract: name });
  return artifact;
}

/** A call to a contract, with its readable action decoded by the contract's ABI. */
export function call(to: Address, contract: string, abi: readonly unknown[], data: Hex): DraftCall {
  return { to, value: "0", data, action: describeCall(to, contract, abi, data) };
}

export const encodeGoverned = (fn: "pause" | "unpause" | "clearRollbackTarget"): Hex =>
  GOVERNED_CALLS.encodeFunctionData(fn) as Hex;
export const encodeUpgrade = (implementation: Address, data: Hex): Hex =>
  GOVERNED_CALLS.encodeFunctionData("upgradeToAndCall", [implementation, data]) as Hex;

/** The recorded proxy the proposal names (by name AND address), or undefined. */
export function recordedProxy(proposal: ProposalRecord, stack: StackRecord): ProxyRecord | undefined {
  const record = proposal.proxy === undefined ? undefined : stack.proxies[proposal.proxy.name];
  return record !== undefined && record.address === proposal.proxy?.address ? record : undefined;
}

/**
 * upgradeToAndCall to the proposal's implementation (with `data`), then clearRollbackTarget when
 * the proposal says so: the calls of every kind that switches implementation.
 */
export function implementationCalls(
  proposal: ProposalRecord,
  stack: StackRecord,
  data: Hex,
  clears: boolean,
): KindCall[] | string {
  const record = recordedProxy(proposal, stack);
  const impl = proposal.implementation;
  if (record === undefined) return "its proxy is not the recorded proxy of that name";
  if (impl === undefined || impl.to !== getAddress(impl.to)) return "it names no valid implementation";
  const calls: KindCall[] = [{ to: record.address, data: encodeUpgrade(impl.to, data) }];
  if (clears) calls.push({ to: record.address, data: encodeGoverned("clearRollbackTarget") });
  return calls;
}

/** Adds the implementation a proposal switched to to its proxy's recorded history. */
export function recordImplementation(
  proposal: ProposalRecord,
  stack: StackRecord,
  reason: "upgrade" | "rollback",
): void {
  const impl = proposal.implementation;
  const record = proposal.proxy === undefined ? undefined : stack.proxies[proposal.proxy.name];
  if (impl === undefined || record === undefined) return;
  record.implementation = impl.to;
  record.contract = impl.contract;
  record.history.push({ address: impl.to, contract: impl.contract, bytecodeHash: impl.bytecodeHash, reason });
}
