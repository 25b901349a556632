import { concat, getCreate2Address, keccak256, type TransactionRequest } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import { sendTogether } from "./send-journaled.js";
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

/** A contract deployment this toolkit can make: where the code lands, and the transaction that puts it there. */
export interface Deployment {
  step: string;
  /** What it is, for the reporter ("the timelock (min delay 60s)"). */
  title: string;
  address: Address;
  request: TransactionRequest;
}

export interface DeploymentResult {
  address: Address;
  outcome: "sent" | "existing";
  gasUsed?: bigint;
  txHash?: Hex;
}

/** `initCode` deployed through the singleton factory with `salt`. */
export function create2Deployment(step: string, title: string, salt: Hex, initCode: Hex): Deployment {
  return {
    step,
    title,
    address: predictCreate2Address(salt, initCode),
    request: { to: SINGLETON_FACTORY, data: concat([salt, initCode]) },
  };
}

/** The code at each address (lower-cased keys), read together. JSON-RPC: eth_getCode per address. */
export async function readCodes(ctx: Pick<TxContext, "provider">, addresses: Address[]): Promise<Map<string, string>> {
  const unique = [...new Set(addresses.map((a) => a.toLowerCase()))];
  const codes = await Promise.all(unique.map((address) => ctx.provider.getCode(address)));
  return new Map(unique.map((address, i) => [address, codes[i]!]));
}

/**
 * Makes those of `deployments` that have no code yet (per `codes`, from {@link readCodes}), all
 * together: they must not depend on each other (see {@link sendTogether}). Each is reported as
 * already there or, once mined and its code found, as deployed. A deployment that was mined but
 * left no code is RS2009.
 *
 * JSON-RPC: those of {@link sendTogether}, then eth_getCode per deployment sent.
 */
export async function deployMissing(
  ctx: TxContext,
  deployments: Deployment[],
  codes: Map<string, string>,
): Promise<DeploymentResult[]> {
  const key = (d: Deployment) => d.address.toLowerCase();
  const missing = new Map<string, Deployment>(); // one transaction per address, however often it is named
  for (const deployment of deployments) {
    if ((codes.get(key(deployment)) ?? "0x") !== "0x") {
      const { step, title, address } = deployment;
      ctx.onEvent({ type: "step-done", step, title, outcome: "existing", address });
    } else if (!missing.has(key(deployment))) missing.set(key(deployment), deployment);
  }
  const sending = [...missing.values()];
  const receipts = await sendTogether(
    ctx,
    sending.map(({ step, title, request }) => ({ step, title: `Deploy ${title}`, request })),
  );
  const deployed = await readCodes(
    ctx,
    sending.map((d) => d.address),
  );
  const results = new Map<string, DeploymentResult>();
  for (const [index, { step, title, address }] of sending.entries()) {
    const receipt = receipts[index]!;
    if ((deployed.get(address.toLowerCase()) ?? "0x") === "0x") {
      throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash: receipt.hash });
    }
    const result = { address, outcome: "sent", gasUsed: receipt.gasUsed, txHash: receipt.hash as Hex } as const;
    ctx.onEvent({ type: "step-done", step, title, ...result });
    results.set(address.toLowerCase(), result);
  }
  return deployments.map((d) => results.get(key(d)) ?? { address: d.address, outcome: "existing" });
}

/**
 * Deploys `initCode` at its CREATE2 address unless code is already there, reporting the step as
 * `title` (a start event only when something is about to be sent).
 *
 * JSON-RPC: eth_getCode, then (only when missing) those of {@link deployMissing}.
 */
export async function deployCreate2(
  ctx: TxContext,
  step: string,
  title: string,
  salt: Hex,
  initCode: Hex,
): Promise<DeploymentResult> {
  const deployment = create2Deployment(step, title, salt, initCode);
  const [result] = await deployMissing(ctx, [deployment], await readCodes(ctx, [deployment.address]));
  return result!;
}
