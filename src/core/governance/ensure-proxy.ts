import { AbiCoder, concat, Interface, keccak256, toUtf8Bytes } from "ethers";

import { create2Deployment, type Deployment, ZERO_SALT } from "../chain/deploy-create2.js";
import type { ProxyConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex, ProxyRecord } from "../records/stack-record.js";
import type { ContractArtifact } from "./artifacts.js";

export interface ProxyPlan {
  name: string;
  config: ProxyConfig;
  implementation: ContractArtifact;
  proxy: ContractArtifact;
  rollbackWindow: number;
}

/**
 * Encodes the initializer call. Convention: a governed contract's initializer takes
 * (address timelock, address guardian, uint64 rollbackWindow, ...its own arguments); the tool
 * fills the first three so no role can ever be granted to the deployer by mistake.
 */
export function encodeInitializer(plan: ProxyPlan, timelock: Address, guardian: Address): Hex {
  try {
    return new Interface(plan.implementation.abi as never).encodeFunctionData(plan.config.initializer, [
      timelock,
      guardian,
      plan.rollbackWindow,
      ...plan.config.args,
    ]) as Hex;
  } catch (error) {
    throw new ReleaseError(
      ERRORS.DEPLOY.INITIALIZER_NOT_FOUND,
      {
        contract: plan.config.contract,
        initializer: plan.config.initializer,
        extra: plan.config.args.length > 0 ? `, ${plan.config.args.map((a) => JSON.stringify(a)).join(", ")}` : "",
      },
      error as Error,
    );
  }
}

/** A proxy's CREATE2 salt: its name in the records is part of its address. */
export function proxySalt(name: string): Hex {
  return keccak256(toUtf8Bytes(`release-safety/proxy/${name}`)) as Hex;
}

export function proxyInitCode(proxy: ContractArtifact, implementation: Address, initData: Hex): Hex {
  const args = AbiCoder.defaultAbiCoder().encode(["address", "bytes"], [implementation, initData]);
  return concat([proxy.bytecode, args]) as Hex;
}

/**
 * A proxy's implementation (CREATE2 from the code alone, so an identical implementation is
 * reused) and the ERC-1967 proxy initialized in its constructor (so nobody can initialize it in
 * between). The proxy's constructor calls the implementation: it is deployed after it.
 */
export function planProxy(
  plan: ProxyPlan,
  timelock: Address,
  guardian: Address,
): { implementation: Deployment; proxy: Deployment; record: ProxyRecord } {
  const initData = encodeInitializer(plan, timelock, guardian);
  const implementation = create2Deployment(
    `implementation:${plan.config.contract}`,
    `the ${plan.config.contract} implementation`,
    ZERO_SALT,
    plan.implementation.bytecode,
  );
  const salt = proxySalt(plan.name);
  const proxy = create2Deployment(
    `proxy:${plan.name}`,
    `the ${plan.name} proxy`,
    salt,
    proxyInitCode(plan.proxy, implementation.address, initData),
  );
  return {
    implementation,
    proxy,
    record: {
      address: proxy.address,
      implementation: implementation.address,
      contract: plan.config.contract,
      salt,
      initializer: plan.config.initializer,
      initializerArgs: plan.config.args,
      rollbackWindow: plan.rollbackWindow,
      history: [
        {
          address: implementation.address,
          contract: plan.config.contract,
          bytecodeHash: keccak256(plan.implementation.deployedBytecode) as Hex,
          reason: "deploy",
        },
      ],
    },
  };
}
