import { createRequire } from "node:module";

import type { Address, Hex } from "../records/stack-record.js";

const require = createRequire(import.meta.url);

export interface SafeArtifact {
  contractName: string;
  abi: unknown[];
  bytecode: Hex;
  deployedBytecode: Hex;
}

/**
 * Safe v1.4.1, as compiled by Safe and shipped in @safe-global/safe-contracts: byte-identical to
 * the canonical deployments, so CREATE2 through the singleton factory with salt 0 lands them at
 * the same addresses as on mainnet. The keys follow the names Safe's own tooling (protocol-kit's `contractNetworks`) uses.
 *
 * `immutables`: contracts whose runtime code embeds their own address (MultiSend,
 * SimulateTxAccessor), so their code hash cannot be compared with the artifact's.
 */
export const SAFE_CONTRACTS = {
  safeSingletonAddress: {
    path: "Safe.sol/Safe",
    address: "0x41675C099F32341bf84BFc5382aF534df5C7461a",
    immutables: false,
  },
  safeSingletonL2Address: {
    path: "SafeL2.sol/SafeL2",
    address: "0x29fcB43b46531BcA003ddC8FCB67FFE91900C762",
    immutables: false,
  },
  safeProxyFactoryAddress: {
    path: "proxies/SafeProxyFactory.sol/SafeProxyFactory",
    address: "0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67",
    immutables: false,
  },
  multiSendAddress: {
    path: "libraries/MultiSend.sol/MultiSend",
    address: "0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526",
    immutables: true,
  },
  multiSendCallOnlyAddress: {
    path: "libraries/MultiSendCallOnly.sol/MultiSendCallOnly",
    address: "0x9641d764fc13c8B624c04430C7356C1C7C8102e2",
    immutables: false,
  },
  fallbackHandlerAddress: {
    path: "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler",
    address: "0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99",
    immutables: false,
  },
  signMessageLibAddress: {
    path: "libraries/SignMessageLib.sol/SignMessageLib",
    address: "0xd53cd0aB83D845Ac265BE939c57F53AD838012c9",
    immutables: false,
  },
  createCallAddress: {
    path: "libraries/CreateCall.sol/CreateCall",
    address: "0x9b35Af71d77eaf8d7e40252370304687390A1A52",
    immutables: false,
  },
  simulateTxAccessorAddress: {
    path: "accessors/SimulateTxAccessor.sol/SimulateTxAccessor",
    address: "0x3d4BA2E0884aa488718476ca2FB8Efc291A46199",
    immutables: true,
  },
} as const satisfies Record<string, { path: string; address: Address; immutables: boolean }>;

export type SafeContractName = keyof typeof SAFE_CONTRACTS;

/** The Safe version these artifacts are; adopted Safes are checked against it. */
export const SAFE_VERSION = "1.4.1";

export function loadSafeArtifact(name: SafeContractName | "SafeProxy"): SafeArtifact {
  const path = name === "SafeProxy" ? "proxies/SafeProxy.sol/SafeProxy" : SAFE_CONTRACTS[name].path;
  return require(`@safe-global/safe-contracts/build/artifacts/contracts/${path}.json`) as SafeArtifact;
}
