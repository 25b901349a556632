import { Interface, keccak256 } from "ethers";

import { deployCreate2, ZERO_SALT } from "../chain/deploy-create2.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { ContractArtifact } from "../governance/artifacts.js";
import type { Address, Hex } from "../records/stack-record.js";
import { describeCall } from "./describe-call.js";
import { GOVERNED_CALLS } from "./governed-calls.js";
import { draftProposal, type DraftCall } from "./draft-proposal.js";
import { findProxy, type ProposalContext } from "./proposal-context.js";
import { withProposals } from "./with-proposals.js";
import type { ProposalRecord } from "./proposal-record.js";
import type { UpgradeChecker } from "./upgrade-checker.js";

export interface ProposeUpgradeParameters {
  ctx: ProposalContext;
  /** Sends the implementation deployment (journaled, like every transaction). */
  tx: TxContext;
  proxy: string;
  /** Contract name of the new implementation. */
  implementation: string;
  /** `fn(arg,...)` of the new implementation to call during the upgrade. */
  call?: string;
  /** Clear the rollback target in the same timelock operation (a security fix). */
  noRollback: boolean;
  description?: string;
  checkUpgrade: UpgradeChecker;
}

export interface ProposeUpgradeResult {
  proposal: ProposalRecord;
  implementationDeployed: boolean;
}

/**
 * Drafts an upgrade through the timelock. Refuses (before sending anything) an implementation
 * OpenZeppelin rejects going forward, and one the proxy could not safely return from (the reverse
 * check) unless `noRollback` makes returning impossible. Deploys the implementation with CREATE2,
 * so an identical one is reused.
 */
export async function proposeUpgrade(params: ProposeUpgradeParameters): Promise<ProposeUpgradeResult> {
  const { ctx } = params;
  return withProposals(ctx, async ({ stack, chainId }) => {
    const proxy = findProxy(stack, params.proxy, ctx.network);
    const artifact = await readArtifact(ctx, params.implementation);

    const forward = await params.checkUpgrade(proxy.contract, params.implementation);
    if (!forward.compatible || forward.deleted.length > 0) {
      throw new ReleaseError(ERRORS.DEPLOY.IMPLEMENTATION_REFUSED, {
        contract: params.implementation,
        reason: [...forward.problems, ...forward.deleted].join("; "),
      });
    }
    const reverse = await params.checkUpgrade(params.implementation, proxy.contract);
    if (!reverse.compatible && !params.noRollback) {
      throw new ReleaseError(ERRORS.DEPLOY.ROLLBACK_UNSAFE, {
        contract: params.implementation,
        previous: proxy.contract,
        reason: reverse.problems.join("; "),
      });
    }
    const callData = encodeCall(params.call, params.implementation, artifact);
    await assertInitializer(ctx, params.call, params.implementation, artifact, callData);

    const impl = await deployCreate2(
      params.tx,
      `implementation:${params.implementation}`,
      `the ${params.implementation} implementation`,
      ZERO_SALT,
      artifact.bytecode,
    );
    if (impl.address === proxy.implementation) {
      throw new ReleaseError(ERRORS.PROPOSAL.SAME_IMPLEMENTATION, {
        proxy: params.proxy,
        contract: params.implementation,
        implementation: impl.address,
      });
    }
    const calls = upgradeCalls(
      proxy.address,
      impl.address,
      callData,
      params.noRollback,
      params.implementation,
      artifact,
    );
    const proposal = await draftProposal({
      ctx,
      stack,
      chainId,
      kind: "upgrade",
      subject: params.proxy,
      description: params.description ?? `Upgrade ${params.proxy} to ${params.implementation}`,
      role: "owners",
      calls,
      viaTimelock: true,
      extra: {
        proxy: { name: params.proxy, address: proxy.address },
        implementation: {
          from: proxy.implementation,
          to: impl.address,
          contract: params.implementation,
          bytecodeHash: keccak256(artifact.deployedBytecode) as Hex,
          retainedOnRollback: reverse.deleted,
          call: callData,
          clearsRollbackTarget: params.noRollback,
        },
      },
    });
    return { proposal, implementationDeployed: impl.outcome === "sent" };
  });
}

/** upgradeToAndCall, followed by clearRollbackTarget in the same operation for a security fix. */
export function upgradeCalls(
  proxy: Address,
  implementation: Address,
  callData: Hex,
  clearRollback: boolean,
  contract: string,
  artifact: ContractArtifact,
): DraftCall[] {
  const upgrade = GOVERNED_CALLS.encodeFunctionData("upgradeToAndCall", [implementation, callData]) as Hex;
  const calls: DraftCall[] = [
    { to: proxy, value: "0", data: upgrade, action: describeCall(proxy, contract, artifact.abi, upgrade) },
  ];
  if (clearRollback) {
    const clear = GOVERNED_CALLS.encodeFunctionData("clearRollbackTarget") as Hex;
    calls.push({ to: proxy, value: "0", data: clear, action: describeCall(proxy, contract, artifact.abi, clear) });
  }
  return calls;
}

/** Encodes `fn(a,b)` against the contract's ABI; "0x" without a call. RS3022 when it does not fit. */
function encodeCall(call: string | undefined, contract: string, artifact: ContractArtifact): Hex {
  if (call === undefined || call.trim() === "") return "0x";
  const match = /^\s*(\w+)\s*\((.*)\)\s*$/.exec(call);
  if (match === null) {
    throw new ReleaseError(ERRORS.PROPOSAL.INVALID_CALL, { call, contract, reason: "expected fn(arg1,arg2)" });
  }
  const [, name, rawArgs] = match;
  const args = rawArgs!.trim() === "" ? [] : rawArgs!.split(",").map((a) => a.trim());
  try {
    return new Interface(artifact.abi as never).encodeFunctionData(name!, args) as Hex;
  } catch (error) {
    throw new ReleaseError(
      ERRORS.PROPOSAL.INVALID_CALL,
      { call, contract, reason: (error as Error).message.split("(")[0] },
      error as Error,
    );
  }
}

/**
 * The call an upgrade makes runs with the proxy's full authority: it must be an initializer of the
 * new code (RS3022), never an arbitrary function such as grantRole.
 */
async function assertInitializer(
  ctx: ProposalContext,
  call: string | undefined,
  contract: string,
  artifact: ContractArtifact,
  data: Hex,
): Promise<void> {
  if (data === "0x") return;
  const initializers = await ctx.artifacts.initializers?.(contract);
  if (initializers === undefined || initializers.includes(data.slice(0, 10) as Hex)) return;
  const abi = new Interface(artifact.abi as never);
  const names = initializers.map((selector) => abi.getFunction(selector)?.format() ?? selector);
  throw new ReleaseError(ERRORS.PROPOSAL.INVALID_CALL, {
    call,
    contract,
    reason: `it is not an initializer (initializer/reinitializer) of ${contract}; its initializers: ${names.join(", ") || "none"}`,
  });
}

export async function readArtifact(ctx: ProposalContext, name: string): Promise<ContractArtifact> {
  const artifact = await ctx.artifacts.read(name);
  if (artifact === undefined) throw new ReleaseError(ERRORS.DEPLOY.UNKNOWN_CONTRACT, { contract: name });
  return artifact;
}
