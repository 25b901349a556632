import { getAddress, keccak256 } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Hex, ImplementationRecord } from "../records/stack-record.js";
import { describeCall } from "./describe-call.js";
import { draftProposal } from "./draft-proposal.js";
import { GOVERNED_CALLS, readProxyState } from "./governed-calls.js";
import { findProxy, type ProposalContext } from "./proposal-context.js";
import { withProposals } from "./with-proposals.js";
import type { ProposalRecord } from "./proposal-record.js";
import { readArtifact } from "./propose-upgrade.js";
import type { UpgradeChecker } from "./upgrade-checker.js";

export interface ProposeRollbackParameters {
  ctx: ProposalContext;
  proxy: string;
  /** Instant: the guardian Safe, to the recorded rollback target, inside its window. */
  instant: boolean;
  /** Through the timelock: an earlier implementation's address or contract name from the records. */
  to?: string;
  description?: string;
  checkUpgrade: UpgradeChecker;
}

/**
 * Drafts a rollback. Instant: checked against the contract's own rollback target and deadline
 * (RS3016, RS3017), since the contract would refuse anything else. Through the timelock: only to
 * code this proxy ran before (RS3018), after checking that the current storage layout can be read
 * by it (the storage the current version added stays, untouched, and is listed).
 *
 * JSON-RPC: eth_call (rollbackTarget, paused, Safe nonce, getMinDelay), eth_getBlockByNumber.
 */
export async function proposeRollback(params: ProposeRollbackParameters): Promise<ProposalRecord> {
  const { ctx } = params;
  return withProposals(ctx, async ({ stack, chainId }) => {
    const proxy = findProxy(stack, params.proxy, ctx.network);
    let target: ImplementationRecord | undefined;
    if (params.instant) {
      const state = await readProxyState(ctx, proxy.address);
      if (BigInt(state.target) === 0n)
        throw new ReleaseError(ERRORS.PROPOSAL.NO_ROLLBACK_TARGET, { proxy: params.proxy });
      if (state.now > state.deadline) {
        throw new ReleaseError(ERRORS.PROPOSAL.ROLLBACK_WINDOW_EXPIRED, {
          proxy: params.proxy,
          deadline: new Date(state.deadline * 1000).toISOString(),
          target: state.target,
        });
      }
      target = proxy.history.findLast((h) => h.address === getAddress(state.target));
    } else {
      const wanted = params.to ?? "";
      target = proxy.history.findLast(
        (h) =>
          h.address !== proxy.implementation &&
          (h.address.toLowerCase() === wanted.toLowerCase() || h.contract === wanted),
      );
      if (target === undefined) {
        throw new ReleaseError(ERRORS.PROPOSAL.NOT_A_PREVIOUS_IMPLEMENTATION, {
          to: wanted,
          proxy: params.proxy,
          known:
            proxy.history
              .filter((h) => h.address !== proxy.implementation)
              .map((h) => `${h.contract} ${h.address}`)
              .join(", ") || "none",
        });
      }
    }
    // The instant path may point at code deployed outside these records; the contract still allows it.
    const toAddress = target?.address ?? (await readProxyState(ctx, proxy.address)).target;
    const toContract = target?.contract ?? proxy.contract;
    const check = await params.checkUpgrade(proxy.contract, toContract);
    if (!check.compatible && !params.instant) {
      throw new ReleaseError(ERRORS.DEPLOY.IMPLEMENTATION_REFUSED, {
        contract: toContract,
        reason: check.problems.join("; "),
      });
    }
    const artifact = await readArtifact(ctx, toContract);
    // Through the timelock, the rollback also clears the rollback target in the same operation:
    // the contract records the outgoing code (the one being rolled back from) as the guardian's
    // target, and the guardian must never be able to restore the code the owners just removed.
    const clears = !params.instant;
    const datas = [GOVERNED_CALLS.encodeFunctionData("upgradeToAndCall", [toAddress, "0x"]) as Hex];
    if (clears) datas.push(GOVERNED_CALLS.encodeFunctionData("clearRollbackTarget") as Hex);
    return await draftProposal({
      ctx,
      stack,
      chainId,
      kind: params.instant ? "instant-rollback" : "rollback",
      subject: params.proxy,
      description: params.description ?? `Roll ${params.proxy} back to ${toContract} (${toAddress})`,
      role: params.instant ? "guardian" : "owners",
      calls: datas.map((data) => ({
        to: proxy.address,
        value: "0",
        data,
        action: describeCall(proxy.address, proxy.contract, artifact.abi, data),
      })),
      viaTimelock: !params.instant,
      extra: {
        proxy: { name: params.proxy, address: proxy.address },
        implementation: {
          from: proxy.implementation,
          to: toAddress,
          contract: toContract,
          bytecodeHash: target?.bytecodeHash ?? (keccak256(artifact.deployedBytecode) as Hex),
          retainedOnRollback: check.deleted,
          clearsRollbackTarget: clears,
        },
      },
    });
  });
}
