import {
  AbiCoder,
  Contract,
  concat,
  getAddress,
  getCreate2Address,
  Interface,
  keccak256,
  solidityPacked,
  toUtf8Bytes,
  ZeroAddress,
} from "ethers";

import type { Deployment } from "../chain/deploy-create2.js";
import type { TxContext } from "../chain/tx-context.js";
import type { SafeConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, SafeRecord } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS } from "./safe-artifacts.js";

export type SafeRole = "owners" | "guardian";

/** A Safe of the stack: one to deploy (`deployment`), or one the config names (adopted). */
export interface SafePlan {
  role: SafeRole;
  address: Address;
  deployment?: Deployment;
}

/**
 * The Safe the config describes: a new Safe's address is derived from its owners, threshold and
 * role, so a re-run finds it instead of creating another; or the existing one the config names.
 */
export function planSafe(role: SafeRole, config: SafeConfig, chainId: number): SafePlan {
  if (config.address !== undefined) return { role, address: getAddress(config.address) as Address };
  const owners = (config.owners ?? []).map((owner) => getAddress(owner));
  const threshold = config.threshold ?? 0;
  const singleton =
    chainId === 1 ? SAFE_CONTRACTS.safeSingletonAddress.address : SAFE_CONTRACTS.safeSingletonL2Address.address;
  const initializer = new Interface(loadSafeArtifact("safeSingletonAddress").abi as never).encodeFunctionData("setup", [
    owners,
    threshold,
    ZeroAddress,
    "0x",
    SAFE_CONTRACTS.fallbackHandlerAddress.address,
    ZeroAddress,
    0,
    ZeroAddress,
  ]);
  const saltNonce = BigInt(keccak256(toUtf8Bytes(`release-safety/${role}`)));
  const factory = new Interface(loadSafeArtifact("safeProxyFactoryAddress").abi as never);
  const address = predictSafeAddress(initializer, saltNonce, singleton);
  return {
    role,
    address,
    deployment: {
      step: `safe:${role}`,
      title: `the ${role} Safe (${threshold} of ${owners.length})`,
      address,
      request: {
        to: SAFE_CONTRACTS.safeProxyFactoryAddress.address,
        data: factory.encodeFunctionData("createProxyWithNonce", [singleton, initializer, saltNonce]),
      },
    },
  };
}

/**
 * What is on chain at a Safe of the stack that already exists. An adopted Safe must match the
 * owners and threshold the config expects (RS2002): a team must never believe a Safe is 3-of-5
 * when it is 1-of-1; one with no code is RS2001.
 *
 * `read` is {@link readSafe}'s answer, asked together with the code (it fails where there is none).
 */
export async function checkSafe(
  ctx: Pick<TxContext, "onEvent">,
  plan: SafePlan,
  config: SafeConfig,
  code: string,
  read: Promise<SafeRecord>,
): Promise<SafeRecord> {
  if (code === "0x") throw new ReleaseError(ERRORS.DEPLOY.SAFE_NOT_FOUND, { role: plan.role, address: plan.address });
  const record = await read;
  assertSafeMatches(plan.role, record, config);
  if (plan.deployment === undefined) {
    const title = `${plan.role === "owners" ? "Owners" : "Guardian"} Safe (adopted)`;
    ctx.onEvent({ type: "step-done", step: `safe:${plan.role}`, title, outcome: "existing", address: plan.address });
  }
  return record;
}

/** SafeProxyFactory.createProxyWithNonce's CREATE2 address, computed offline. */
function predictSafeAddress(initializer: string, saltNonce: bigint, singleton: Address): Address {
  const salt = keccak256(solidityPacked(["bytes32", "uint256"], [keccak256(initializer), saltNonce]));
  const initCode = concat([
    loadSafeArtifact("SafeProxy").bytecode,
    AbiCoder.defaultAbiCoder().encode(["address"], [singleton]),
  ]);
  return getCreate2Address(SAFE_CONTRACTS.safeProxyFactoryAddress.address, salt, keccak256(initCode)) as Address;
}

/** Reads a Safe's owners, threshold and version from chain. */
export async function readSafe(
  ctx: Pick<TxContext, "provider">,
  address: Address,
  origin: SafeRecord["origin"],
): Promise<SafeRecord> {
  const safe = new Contract(address, loadSafeArtifact("safeSingletonAddress").abi as never, ctx.provider);
  const [owners, threshold, version] = (await Promise.all([
    safe.getOwners!(),
    safe.getThreshold!(),
    safe.VERSION!(),
  ])) as [string[], bigint, string];
  return {
    address,
    owners: owners.map((o) => getAddress(o) as Address),
    threshold: Number(threshold),
    version,
    origin,
  };
}

function assertSafeMatches(role: SafeRole, actual: SafeRecord, expected: SafeConfig): void {
  const differences: string[] = [];
  if (expected.owners !== undefined) {
    const want = new Set(expected.owners.map((o) => o.toLowerCase()));
    const have = new Set(actual.owners.map((o) => o.toLowerCase()));
    const missing = [...want].filter((o) => !have.has(o));
    const extra = [...have].filter((o) => !want.has(o));
    if (missing.length > 0) differences.push(`owners missing on chain: ${missing.join(", ")}`);
    if (extra.length > 0) differences.push(`owners not in the config: ${extra.join(", ")}`);
  }
  if (expected.threshold !== undefined && expected.threshold !== actual.threshold) {
    differences.push(`threshold is ${actual.threshold}, config says ${expected.threshold}`);
  }
  if (differences.length > 0) {
    throw new ReleaseError(ERRORS.DEPLOY.SAFE_MISMATCH, {
      role,
      address: actual.address,
      difference: differences.join("; "),
    });
  }
}
