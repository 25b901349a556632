import { AbiCoder, concat, keccak256, toUtf8Bytes } from "ethers";

import { create2Deployment, type Deployment } from "../chain/deploy-create2.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import type { ContractArtifact } from "./artifacts.js";

export const TIMELOCK_CONTRACT = "ReleaseTimelock";
const TIMELOCK_SALT = keccak256(toUtf8Bytes("release-safety/timelock")) as Hex;

export interface TimelockParameters {
  artifact: ContractArtifact;
  minDelay: number;
  ownersSafe: Address;
  guardianSafe: Address;
}

/**
 * The self-administered timelock: the owners Safe proposes and executes, the owners and guardian
 * Safes cancel, nobody else holds any role (admin = the timelock itself). Its constructor calls
 * nobody, so it can be deployed before the Safes it names exist.
 */
export function planTimelock({ artifact, minDelay, ownersSafe, guardianSafe }: TimelockParameters): {
  record: StackRecord["timelock"];
  deployment: Deployment;
} {
  const args = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address[]", "address[]", "address[]"],
    [minDelay, [ownersSafe], [ownersSafe], [guardianSafe]],
  );
  const deployment = create2Deployment(
    "timelock",
    `the timelock (min delay ${minDelay}s)`,
    TIMELOCK_SALT,
    concat([artifact.bytecode, args]) as Hex,
  );
  return {
    deployment,
    record: {
      address: deployment.address,
      contract: TIMELOCK_CONTRACT,
      minDelay,
      salt: TIMELOCK_SALT,
      bytecodeHash: keccak256(artifact.deployedBytecode) as Hex,
    },
  };
}
