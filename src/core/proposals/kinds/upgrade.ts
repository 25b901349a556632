import { Interface, keccak256 } from "ethers";

import { deployCreate2, ZERO_SALT } from "../../chain/deploy-create2.js";
import { ERRORS, ReleaseError } from "../../errors.js";
import type { ContractArtifact } from "../../governance/artifacts.js";
import type { Hex } from "../../types.js";
import type { ProposalKindModule } from "./kind.js";
import { findProxy, type ProposalContext } from "../proposal-context.js";
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
 * An upgrade through the timelock (owners Safe). Drafting refuses, before sending anything, an
 * implementation OpenZeppelin rejects going forward (RS2003), one the proxy could not safely
 * return from unless --no-rollback makes returning impossible (RS2011), a call that is not an
 * initializer of the new code (RS3022), and the code already running (RS3021). The implementation
 * is deployed with CREATE2, so an identical one is reused.
 */
export const upgrade: ProposalKindModule = {
  name: "upgrade",
  summary:
    "Draft an upgrade through the timelock (owners Safe): validates the new implementation with OpenZeppelin forward and backward, deploys it (an identical one is reused) and writes deployments/<network>/proposals/<id>.json",
  safes: ["owners"],
  viaTimelock: true,
  emergency: false,
  switchesImplementation: true,
  options: [
    PROXY_OPTION,
    {
      name: "implementation",
      description: "Contract name of the new implementation, e.g. VaultV2",
      type: "string",
      required: true,
    },
    {
      name: "call",
      description: 'An initializer of the new implementation to run during the upgrade, e.g. "initializeV2()"',
      type: "string",
    },
    {
      name: "noRollback",
      description:
        "Clear the rollback target in the same operation (a security fix: the guardian can then never return to the vulnerable code)",
      type: "flag",
    },
    DESCRIPTION_OPTION,
  ],

  async draft({ ctx, stack, options, tx, checkUpgrade }) {
    const proxyName = required(options, "proxy");
    const contract = required(options, "implementation");
    const noRollback = options.noRollback === true;
    const proxy = findProxy(stack, proxyName, ctx.network);
    const artifact = await readArtifact(ctx, contract);
    const forward = await checkUpgrade!(proxy.contract, contract);
    if (!forward.compatible || forward.deleted.length > 0) {
      throw new ReleaseError(ERRORS.DEPLOY.IMPLEMENTATION_REFUSED, {
        contract,
        reason: [...forward.problems, ...forward.deleted].join("; "),
      });
    }
    const reverse = await checkUpgrade!(contract, proxy.contract);
    if (!reverse.compatible && !noRollback) {
      throw new ReleaseError(ERRORS.DEPLOY.ROLLBACK_UNSAFE, {
        contract,
        previous: proxy.contract,
        reason: reverse.problems.join("; "),
      });
    }
    const callText = optional(options, "call");
    const callData = encodeCall(callText, contract, artifact);
    await assertInitializer(ctx, callText, contract, artifact, callData);
    const impl = await deployCreate2(
      await tx!(),
      `implementation:${contract}`,
      `the ${contract} implementation`,
      ZERO_SALT,
      artifact.bytecode,
    );
    if (impl.address === proxy.implementation) {
      throw new ReleaseError(ERRORS.PROPOSAL.SAME_IMPLEMENTATION, {
        proxy: proxyName,
        contract,
        implementation: impl.address,
      });
    }
    const calls = [call(proxy.address, contract, artifact.abi, encodeUpgrade(impl.address, callData))];
    if (noRollback) calls.push(call(proxy.address, contract, artifact.abi, encodeGoverned("clearRollbackTarget")));
    return {
      subject: proxyName,
      description: optional(options, "description") ?? `Upgrade ${proxyName} to ${contract}`,
      role: "owners",
      calls,
      extra: {
        proxy: { name: proxyName, address: proxy.address },
        implementation: {
          from: proxy.implementation,
          to: impl.address,
          contract,
          bytecodeHash: keccak256(artifact.deployedBytecode) as Hex,
          retainedOnRollback: reverse.deleted,
          call: callData,
          clearsRollbackTarget: noRollback,
        },
      },
    };
  },

  calls(proposal, stack) {
    const data = proposal.implementation?.call ?? "0x";
    if (!/^0x([0-9a-f]{2})*$/.test(data)) return "its upgrade call is not hex";
    return implementationCalls(proposal, stack, data, proposal.implementation?.clearsRollbackTarget === true);
  },

  expect(proposal, before) {
    const impl = proposal.implementation!;
    return {
      implementation: impl.to,
      rollbackTarget: impl.clearsRollbackTarget || before.rollbackWindow === 0 ? null : before.implementation,
    };
  },

  apply: (proposal, stack) => recordImplementation(proposal, stack, "upgrade"),
};

/** Encodes `fn(a,b)` against the contract's ABI; "0x" without a call. RS3022 when it does not fit. */
function encodeCall(call: string | undefined, contract: string, artifact: ContractArtifact): Hex {
  if (call === undefined) return "0x";
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
