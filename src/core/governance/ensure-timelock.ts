import { AbiCoder, concat, keccak256, toUtf8Bytes } from "ethers";

import { deployCreate2 } from "../chain/deploy-create2.js";
import type { TxContext } from "../chain/tx-context.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import type { ContractArtifact } from "./artifacts.js";

export const TIMELOCK_CONTRACT = "ReleaseTimelock";
const TIMELOCK_SALT = keccak256(toUtf8Bytes("release-safety/timelock")) as Hex;

export interface EnsureTimelockParameters {
  artifact: ContractArtifact;
  minDelay: number;
  ownersSafe: Address;
  guardianSafe: Address;
}

/**
 * Deploys the self-administered timelock: the owners Safe proposes and executes, the owners and
 * guardian Safes cancel, nobody else holds any role (admin = the timelock itself).
 *
 * JSON-RPC: eth_getCode; when missing, one journaled CREATE2 deployment.
 */
export async function ensureTimelock(
  ctx: TxContext,
  { artifact, minDelay, ownersSafe, guardianSafe }: EnsureTimelockParameters,
): Promise<StackRecord["timelock"]> {
  const args = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address[]", "address[]", "address[]"],
    [minDelay, [ownersSafe], [ownersSafe], [guardianSafe]],
  );
  const step = "timelock";
  const result = await deployCreate2(
    ctx,
    step,
    `the timelock (min delay ${minDelay}s)`,
    TIMELOCK_SALT,
    concat([artifact.bytecode, args]) as Hex,
  );
  return {
    address: result.address,
    contract: TIMELOCK_CONTRACT,
    minDelay,
    salt: TIMELOCK_SALT,
    bytecodeHash: keccak256(artifact.deployedBytecode) as Hex,
  };
}
