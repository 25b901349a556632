import {
  AbiCoder,
  Contract,
  concat,
  getAddress,
  getCreate2Address,
  keccak256,
  solidityPacked,
  toUtf8Bytes,
  ZeroAddress,
} from "ethers";

import { sendJournaled } from "../chain/send-journaled.js";
import type { TxContext } from "../chain/tx-context.js";
import type { SafeConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, SafeRecord } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS } from "./safe-artifacts.js";

export type SafeRole = "owners" | "guardian";

export interface EnsureSafeParameters {
  role: SafeRole;
  config: SafeConfig;
  chainId: number;
}

/**
 * Deploys the Safe the config describes, or adopts the existing one it names, and returns what is
 * on chain. A new Safe's address is derived from its owners, threshold and role, so a re-run finds
 * it instead of creating another. An adopted Safe must match the owners and threshold the config
 * expects (RS2002): a team must never believe a Safe is 3-of-5 when it is 1-of-1.
 *
 * JSON-RPC: eth_getCode, eth_call (getOwners, getThreshold, VERSION); when missing, one journaled
 * createProxyWithNonce.
 */
export async function ensureSafe(ctx: TxContext, { role, config, chainId }: EnsureSafeParameters): Promise<SafeRecord> {
  const step = `safe:${role}`;
  const title = `${role === "owners" ? "Owners" : "Guardian"} Safe`;
  if (config.address !== undefined) {
    const address = getAddress(config.address) as Address;
    if ((await ctx.provider.getCode(address)) === "0x") {
      throw new ReleaseError(ERRORS.DEPLOY.SAFE_NOT_FOUND, { role, address });
    }
    const record = await readSafe(ctx, address, "adopted");
    assertSafeMatches(role, record, config);
    ctx.onEvent({ type: "step-done", step, title: `${title} (adopted)`, outcome: "existing", address });
    return record;
  }

  const owners = (config.owners ?? []).map((owner) => getAddress(owner));
  const threshold = config.threshold ?? 0;
  const singleton =
    chainId === 1 ? SAFE_CONTRACTS.safeSingletonAddress.address : SAFE_CONTRACTS.safeSingletonL2Address.address;
  const safeInterface = new Contract(singleton, loadSafeArtifact("safeSingletonAddress").abi as never).interface;
  const initializer = safeInterface.encodeFunctionData("setup", [
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
  const factory = new Contract(
    SAFE_CONTRACTS.safeProxyFactoryAddress.address,
    loadSafeArtifact("safeProxyFactoryAddress").abi as never,
    ctx.signer,
  );
  const address = predictSafeAddress(initializer, saltNonce, singleton);

  if ((await ctx.provider.getCode(address)) === "0x") {
    ctx.onEvent({
      type: "step-start",
      step,
      title: `Deploy the ${role} Safe (${threshold} of ${owners.length})`,
    });
    const receipt = await sendJournaled(ctx, step, {
      to: SAFE_CONTRACTS.safeProxyFactoryAddress.address,
      data: factory.interface.encodeFunctionData("createProxyWithNonce", [singleton, initializer, saltNonce]),
    });
    const record = await readSafe(ctx, address, "deployed");
    ctx.onEvent({
      type: "step-done",
      step,
      title,
      outcome: "sent",
      address,
      txHash: receipt.hash as Address,
      gasUsed: receipt.gasUsed,
    });
    return record;
  }
  const record = await readSafe(ctx, address, "deployed");
  assertSafeMatches(role, record, config);
  ctx.onEvent({ type: "step-done", step, title, outcome: "existing", address });
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
