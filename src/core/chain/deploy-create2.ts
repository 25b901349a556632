import { concat, getCreate2Address, keccak256 } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import { sendJournaled } from "./send-journaled.js";
import type { TxContext } from "./tx-context.js";

/**
 * The Safe singleton factory (Arachnid's deterministic deployment proxy, deployed per chain from
 * a presigned transaction). Deploying through it makes every address a pure function of the code
 * and a salt: a re-run finds what an earlier run deployed, and can never create a second copy.
 *
 * Front-running is harmless: anyone can deploy the same init code at the same address, but the
 * result is the same contract with the same constructor arguments and no privileged deployer.
 */
export const SINGLETON_FACTORY: Address = "0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7";

export const ZERO_SALT: Hex = `0x${"00".repeat(32)}`;

export function predictCreate2Address(salt: Hex, initCode: Hex): Address {
  return getCreate2Address(SINGLETON_FACTORY, salt, keccak256(initCode)) as Address;
}

export interface DeployCreate2Result {
  address: Address;
  outcome: "sent" | "existing";
  gasUsed?: bigint;
  txHash?: Hex;
}

/**
 * Deploys `initCode` at its CREATE2 address unless code is already there, reporting the step as
 * `title` (a start event only when something is about to be sent).
 *
 * JSON-RPC: eth_getCode, then (only when missing) the calls of {@link sendJournaled}.
 */
export async function deployCreate2(
  ctx: TxContext,
  step: string,
  title: string,
  salt: Hex,
  initCode: Hex,
): Promise<DeployCreate2Result> {
  const address = predictCreate2Address(salt, initCode);
  if ((await ctx.provider.getCode(address)) !== "0x") {
    ctx.onEvent({ type: "step-done", step, title, outcome: "existing", address });
    return { address, outcome: "existing" };
  }
  ctx.onEvent({ type: "step-start", step, title: `Deploy ${title}` });
  const receipt = await sendJournaled(ctx, step, { to: SINGLETON_FACTORY, data: concat([salt, initCode]) });
  if ((await ctx.provider.getCode(address)) === "0x") {
    throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash: receipt.hash });
  }
  const result = { address, outcome: "sent", gasUsed: receipt.gasUsed, txHash: receipt.hash as Hex } as const;
  ctx.onEvent({ type: "step-done", step, title, ...result });
  return result;
}
