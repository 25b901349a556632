// Shared helpers for the contract tests. Not a test file itself: every test file opens its own network
// connection and defines its own named fixtures around these helpers.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { AddressLike } from "ethers";
import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes } from "ethers";

import type { VaultV1 } from "../../types/ethers-contracts/index.js";

/** ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
export const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

export const DAY = 24n * 60n * 60n;
export const ROLLBACK_WINDOW = 7n * DAY;
export const MAX_ROLLBACK_WINDOW = 30n * DAY;
export const DEPOSIT_CAP = 10n * 10n ** 18n;

/** keccak256(abi.encode(uint256(keccak256(namespace)) - 1)) & ~bytes32(uint256(0xff)), per ERC-7201. */
export function erc7201Slot(namespace: string): bigint {
  const inner = BigInt(keccak256(toUtf8Bytes(namespace))) - 1n;
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner]))) & ~0xffn;
}

/** Storage slot of `mapping(address => ...)[key]` whose mapping lives at `mappingSlot`. */
export function mappingSlot(key: string, slot: bigint): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [key, slot])));
}

/** Hex form of a slot number, as `getStorage` expects it. */
export function slotHex(slot: bigint): string {
  return toBeHex(slot, 32);
}

/** Reads the implementation address straight from the proxy's ERC-1967 slot (no plugin involved). */
export async function implementationOf(ethers: HardhatEthers, proxy: AddressLike): Promise<string> {
  const raw = await ethers.provider.getStorage(proxy, IMPLEMENTATION_SLOT);
  return getAddress(`0x${raw.slice(-40)}`);
}

export interface NamedSigners {
  deployer: HardhatEthersSigner;
  /** EOA standing in for the TimelockController (DEFAULT_ADMIN_ROLE, UPGRADER_ROLE). */
  timelock: HardhatEthersSigner;
  /** EOA standing in for the guardian Safe (PAUSER_ROLE, GUARDIAN_ROLE). */
  guardian: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  /** Holds no role and no balance. */
  stranger: HardhatEthersSigner;
  /** Gets PAUSER_ROLE only, in tests that need a pure pauser. */
  pauserOnly: HardhatEthersSigner;
  /** Proposer + executor of a real TimelockController (stands in for the owners' Safe). */
  proposer: HardhatEthersSigner;
}

/** The default accounts, each with a fixed part to play. */
export async function namedSigners(ethers: HardhatEthers): Promise<NamedSigners> {
  const signers = await ethers.getSigners();
  const at = (index: number): HardhatEthersSigner => {
    const signer = signers[index];
    if (signer === undefined) throw new Error(`expected at least ${index + 1} accounts`);
    return signer;
  };
  return {
    deployer: at(0),
    timelock: at(1),
    guardian: at(2),
    alice: at(3),
    bob: at(4),
    stranger: at(5),
    pauserOnly: at(6),
    proposer: at(7),
  };
}

export interface VaultDeployment {
  vault: VaultV1;
  proxyAddress: string;
  v1Address: string;
}

/**
 * Deploys a VaultV1 implementation and an ERC-1967 proxy initialized with
 * `initialize(timelock, guardian, rollbackWindow, depositCap)`.
 *
 * The proxy is `ERC1967Proxy` (stock OpenZeppelin ERC1967Proxy with a pass-through constructor):
 * Hardhat 3 only writes artifacts for project sources and `solidity.npmFilesToBuild` entries.
 */
export async function deployVault(
  ethers: HardhatEthers,
  params: { timelock: string; guardian: string; rollbackWindow?: bigint; depositCap?: bigint },
): Promise<VaultDeployment> {
  const implementation = await ethers.deployContract("VaultV1");
  const v1Address = await implementation.getAddress();
  const initData = implementation.interface.encodeFunctionData("initialize", [
    params.timelock,
    params.guardian,
    params.rollbackWindow ?? ROLLBACK_WINDOW,
    params.depositCap ?? 0n,
  ]);
  const proxy = await ethers.deployContract("ERC1967Proxy", [v1Address, initData]);
  const proxyAddress = await proxy.getAddress();
  const vault = await ethers.getContractAt("VaultV1", proxyAddress);
  return { vault, proxyAddress, v1Address };
}

/** Awaits `promise`, fails the test if it resolves, and returns the rejection error otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  return expect.fail("expected the promise to reject");
}
