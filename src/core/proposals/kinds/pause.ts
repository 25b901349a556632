import { ERRORS, ReleaseError } from "../../errors.js";
import { readProxyState } from "../governed-calls.js";
import type { DraftInput, KindCall, KindDraft, ProposalKindModule } from "./kind.js";
import { findProxy } from "../proposal-context.js";
import { call, DESCRIPTION_OPTION, encodeGoverned, optional, readArtifact, required } from "./shared.js";

const PROXIES_OPTION = {
  name: "proxy",
  description: "Proxy name(s) from the records, comma-separated: several go in one Safe transaction",
  type: "string" as const,
  required: true,
};

/**
 * Drafts `pause` or `unpause` of one or more proxies (several in one batch). Refuses a proxy that
 * is already in the requested state (RS3023): that transaction could only revert.
 *
 * JSON-RPC: eth_call (paused, rollbackTarget), eth_getBlockByNumber per proxy.
 */
async function draftSwitch(action: "pause" | "unpause", { ctx, stack, options }: DraftInput): Promise<KindDraft> {
  const names = required(options, "proxy")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const calls = [];
  for (const name of names) {
    const proxy = findProxy(stack, name, ctx.network);
    const state = await readProxyState(ctx, proxy.address);
    if (state.paused === (action === "pause")) {
      throw new ReleaseError(ERRORS.PROPOSAL.WRONG_PAUSE_STATE, {
        proxy: name,
        state: state.paused ? "already paused" : "not paused",
        action,
        network: ctx.network,
      });
    }
    const artifact = await readArtifact(ctx, proxy.contract);
    calls.push(call(proxy.address, proxy.contract, artifact.abi, encodeGoverned(action)));
  }
  const only = names.length === 1 ? names[0]! : undefined;
  return {
    subject: names.join("_"),
    description: optional(options, "description") ?? `${action === "pause" ? "Pause" : "Unpause"} ${names.join(", ")}`,
    role: action === "pause" ? "guardian" : "owners",
    calls,
    extra: only === undefined ? {} : { proxy: { name: only, address: stack.proxies[only]!.address } },
  };
}

/** The same call on every proxy the proposal's actions name; each must be a proxy of the stack. */
function switchCalls(action: "pause" | "unpause") {
  return (proposal: Parameters<ProposalKindModule["calls"]>[0], stack: Parameters<ProposalKindModule["calls"]>[1]) => {
    const proxies = new Set(Object.values(stack.proxies).map((p) => p.address));
    const targets = proposal.actions.map((a) => a.target);
    if (targets.length === 0 || targets.some((t) => !proxies.has(t))) {
      return `it ${action}s something that is not a proxy of the stack`;
    }
    return targets.map((to): KindCall => ({ to, data: encodeGoverned(action) }));
  };
}

/** The guardian's emergency pause: no delay, no timelock. */
export const pause: ProposalKindModule = {
  name: "pause",
  summary: "Draft an emergency pause of one or more proxies by the guardian Safe, effective at once (no timelock)",
  safes: ["guardian"],
  viaTimelock: false,
  emergency: true,
  options: [PROXIES_OPTION, DESCRIPTION_OPTION],
  draft: (input) => draftSwitch("pause", input),
  calls: switchCalls("pause"),
  expect: () => ({ paused: true }),
};

/** Resuming is never an emergency: the owners, through the timelock, so everyone can check the fix. */
export const unpause: ProposalKindModule = {
  name: "unpause",
  summary: "Draft the unpause of one or more proxies through the timelock (owners Safe)",
  safes: ["owners"],
  viaTimelock: true,
  emergency: false,
  options: [PROXIES_OPTION, DESCRIPTION_OPTION],
  draft: (input) => draftSwitch("unpause", input),
  calls: switchCalls("unpause"),
  expect: () => ({ paused: false }),
};
