import { ERRORS, ReleaseError } from "../errors.js";
import type { Hex } from "../records/stack-record.js";
import { describeCall } from "./describe-call.js";
import { draftProposal, type DraftCall } from "./draft-proposal.js";
import { GOVERNED_CALLS, readProxyState } from "./governed-calls.js";
import { findProxy, type ProposalContext } from "./proposal-context.js";
import { withProposals } from "./with-proposals.js";
import type { ProposalRecord } from "./proposal-record.js";
import { readArtifact } from "./propose-upgrade.js";

export interface ProposePauseParameters {
  ctx: ProposalContext;
  /** One or more proxy names; several are paused in one guardian transaction (MultiSendCallOnly). */
  proxies: string[];
  /** "pause": the guardian Safe, at once. "unpause": the owners Safe, through the timelock. */
  action: "pause" | "unpause";
  description?: string;
}

/**
 * Drafts an emergency pause (guardian Safe, no delay) or the unpause that ends it (owners Safe,
 * through the timelock: resuming is never an emergency, and the delay lets everyone check the fix).
 * Refuses a proxy already in the requested state: that transaction could only revert.
 *
 * JSON-RPC: eth_call (paused, rollbackTarget, Safe nonce, getMinDelay), eth_getBlockByNumber.
 */
export async function proposePause(params: ProposePauseParameters): Promise<ProposalRecord> {
  const { ctx, action } = params;
  return withProposals(ctx, async ({ stack, chainId }) => {
    const calls: DraftCall[] = [];
    for (const name of params.proxies) {
      const proxy = findProxy(stack, name, ctx.network);
      const state = await readProxyState(ctx, proxy.address);
      if (state.paused === (action === "pause")) {
        throw new ReleaseError(ERRORS.PROPOSAL.WRONG_PAUSE_STATE, {
          proxy: name,
          state: state.paused ? "already paused" : "not paused",
          action,
        });
      }
      const artifact = await readArtifact(ctx, proxy.contract);
      const data = GOVERNED_CALLS.encodeFunctionData(action) as Hex;
      calls.push({
        to: proxy.address,
        value: "0",
        data,
        action: describeCall(proxy.address, proxy.contract, artifact.abi, data),
      });
    }
    const only = params.proxies.length === 1 ? params.proxies[0]! : undefined;
    return await draftProposal({
      ctx,
      stack,
      chainId,
      kind: action,
      subject: params.proxies.join("_"),
      description: params.description ?? `${action === "pause" ? "Pause" : "Unpause"} ${params.proxies.join(", ")}`,
      role: action === "pause" ? "guardian" : "owners",
      calls,
      viaTimelock: action === "unpause",
      extra: only === undefined ? {} : { proxy: { name: only, address: stack.proxies[only]!.address } },
    });
  });
}
