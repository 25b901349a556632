import { getAddress, keccak256 } from "ethers";

import { ERRORS, ReleaseError } from "../../errors.js";
import type { ImplementationRecord } from "../../records/stack-record.js";
import type { Address, Hex } from "../../types.js";
import { readProxyState } from "../governed-calls.js";
import type { DraftInput, KindDraft, ProposalKindModule } from "./kind.js";
import { findProxy } from "../proposal-context.js";
import {
  call,
  DESCRIPTION_OPTION,
  encodeGoverned,
  encodeUpgrade,
  implementationCalls,
  optional,
  PROXY_OPTION,
  readArtifact,
  recordImplementation,
  required,
} from "./shared.js";

/**
 * A rollback through the timelock (owners Safe), to code the proxy ran before (RS3018), after
 * checking the current storage can be read by it. It also clears the rollback target in the same
 * operation: the contract records the outgoing code as the guardian's target, and the guardian must
 * never be able to restore the code the owners just removed. `--instant` drafts the guardian's
 * instant rollback instead (see instantRollback).
 */
export const rollback: ProposalKindModule = {
  name: "rollback",
  summary:
    "Draft a rollback: through the timelock to an earlier implementation (owners Safe, --to), or at once to the recorded rollback target (guardian Safe, --instant)",
  safes: ["owners"],
  viaTimelock: true,
  emergency: false,
  switchesImplementation: true,
  options: [
    PROXY_OPTION,
    {
      name: "to",
      description:
        "Through the timelock: an earlier implementation, by contract name or address (see `release status`)",
      type: "string",
    },
    {
      name: "instant",
      description: "The guardian's instant rollback to the recorded rollback target, inside its window (no timelock)",
      type: "flag",
    },
    DESCRIPTION_OPTION,
  ],

  validate(options) {
    const to = optional(options, "to");
    if (options.instant === true && to !== undefined) {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--to",
        value: JSON.stringify(to),
        reason: "--instant rolls back to the recorded rollback target, so it takes no --to",
        task: "release propose rollback",
      });
    }
    if (options.instant !== true && to === undefined) {
      throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option: "--to <contract|address> (or --instant)" });
    }
  },

  async draft(input) {
    if (input.options.instant === true) return { kind: "instant-rollback", ...(await instantRollback.draft(input)) };
    const { ctx, stack, options } = input;
    const proxyName = required(options, "proxy");
    const wanted = required(options, "to");
    const proxy = findProxy(stack, proxyName, ctx.network);
    const target = proxy.history.findLast(
      (h) =>
        h.address !== proxy.implementation &&
        (h.address.toLowerCase() === wanted.toLowerCase() || h.contract === wanted),
    );
    if (target === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_A_PREVIOUS_IMPLEMENTATION, {
        to: wanted,
        proxy: proxyName,
        known:
          proxy.history
            .filter((h) => h.address !== proxy.implementation)
            .map((h) => `${h.contract} ${h.address}`)
            .join(", ") || "none",
      });
    }
    const check = await input.checkUpgrade!(proxy.contract, target.contract);
    if (!check.compatible) {
      throw new ReleaseError(ERRORS.DEPLOY.IMPLEMENTATION_REFUSED, {
        contract: target.contract,
        reason: check.problems.join("; "),
      });
    }
    return rollbackDraft(input, proxyName, target.address, target, check.deleted, true);
  },

  calls(proposal, stack) {
    const record = stack.proxies[proposal.proxy?.name ?? ""];
    const to = proposal.implementation?.to;
    if (record !== undefined && !record.history.some((h) => h.address === to)) {
      return `${to} is not an earlier implementation of ${proposal.proxy!.name}`;
    }
    return implementationCalls(proposal, stack, "0x", true);
  },

  expect: (proposal) => ({ implementation: proposal.implementation!.to, rollbackTarget: null }),
  apply: (proposal, stack) => recordImplementation(proposal, stack, "rollback"),
};

/**
 * The guardian's instant rollback: to exactly the recorded rollback target, inside its window
 * (RS3016 without a target, RS3017 after the window), as the contract itself would check.
 */
export const instantRollback: ProposalKindModule = {
  name: "instant-rollback",
  summary: "The guardian's instant rollback (drafted with `release propose rollback --instant`)",
  command: false,
  safes: ["guardian"],
  viaTimelock: false,
  emergency: true,
  switchesImplementation: true,
  options: [PROXY_OPTION, DESCRIPTION_OPTION],

  async draft(input) {
    const { ctx, stack, options } = input;
    const proxyName = required(options, "proxy");
    const proxy = findProxy(stack, proxyName, ctx.network);
    const state = await readProxyState(ctx, proxy.address);
    if (BigInt(state.target) === 0n)
      throw new ReleaseError(ERRORS.PROPOSAL.NO_ROLLBACK_TARGET, { proxy: proxyName, network: ctx.network });
    if (state.now > state.deadline) {
      throw new ReleaseError(ERRORS.PROPOSAL.ROLLBACK_WINDOW_EXPIRED, {
        proxy: proxyName,
        deadline: new Date(state.deadline * 1000).toISOString(),
        target: state.target,
        network: ctx.network,
      });
    }
    // The target may be code deployed outside these records; the contract still allows it.
    const target = proxy.history.findLast((h) => h.address === getAddress(state.target));
    const check = await input.checkUpgrade!(proxy.contract, target?.contract ?? proxy.contract);
    return rollbackDraft(input, proxyName, getAddress(state.target) as Address, target, check.deleted, false);
  },

  calls: (proposal, stack) => implementationCalls(proposal, stack, "0x", false),
  expect: (proposal) => ({ implementation: proposal.implementation!.to, rollbackTarget: null }),
  apply: (proposal, stack) => recordImplementation(proposal, stack, "rollback"),
};

async function rollbackDraft(
  { ctx, stack, options }: DraftInput,
  proxyName: string,
  to: Address,
  target: ImplementationRecord | undefined,
  retained: string[],
  viaTimelock: boolean,
): Promise<KindDraft> {
  const proxy = stack.proxies[proxyName]!;
  const contract = target?.contract ?? proxy.contract;
  const artifact = await readArtifact(ctx, contract);
  const datas: Hex[] = [encodeUpgrade(to, "0x")];
  if (viaTimelock) datas.push(encodeGoverned("clearRollbackTarget"));
  return {
    subject: proxyName,
    description: optional(options, "description") ?? `Roll ${proxyName} back to ${contract} (${to})`,
    role: viaTimelock ? "owners" : "guardian",
    calls: datas.map((data) => call(proxy.address, proxy.contract, artifact.abi, data)),
    extra: {
      proxy: { name: proxyName, address: proxy.address },
      implementation: {
        from: proxy.implementation,
        to,
        contract,
        bytecodeHash: target?.bytecodeHash ?? (keccak256(artifact.deployedBytecode) as Hex),
        retainedOnRollback: retained,
        clearsRollbackTarget: viaTimelock,
      },
    },
  };
}
