import type { Address, Hex } from "../types.js";

export type { Address, Hex };

/** Version of the records format this toolkit reads and writes. */
export const SCHEMA_VERSION = 1;

export interface SafeRecord {
  address: Address;
  owners: Address[];
  threshold: number;
  version: string;
  /** "deployed" when this tool created it, "adopted" when the config named an existing Safe. */
  origin: "deployed" | "adopted";
}

export interface ImplementationRecord {
  address: Address;
  contract: string;
  /** keccak256 of the artifact's runtime bytecode at the time it was deployed (for drift checks and reviews). */
  bytecodeHash: Hex;
  /** What made it current: the initial deploy, a forward upgrade, or a rollback. */
  reason: "deploy" | "upgrade" | "rollback";
}

export interface ProxyRecord {
  address: Address;
  /** Current implementation (equal to the last entry of `history`). */
  implementation: Address;
  contract: string;
  salt: Hex;
  initializer: string;
  initializerArgs: unknown[];
  rollbackWindow: number;
  history: ImplementationRecord[];
}

export interface StackRecord {
  schemaVersion: typeof SCHEMA_VERSION;
  network: string;
  chainId: number;
  deployer: Address;
  /** The head block when the deploy began: the stack's history starts after it (0 when unknown). */
  deployBlock?: number;
  safeContracts: Record<string, Address>;
  safes: { owners: SafeRecord; guardian: SafeRecord };
  timelock: {
    address: Address;
    contract: string;
    minDelay: number;
    salt: Hex;
    bytecodeHash: Hex;
  };
  proxies: Record<string, ProxyRecord>;
  /** Explorer verification per contract address, per explorer (written by `release verify`). */
  verification?: Record<Address, Partial<Record<ExplorerName, VerificationEntry>>>;
}

/** The explorers `release verify` submits to (through hardhat-verify). */
export type ExplorerName = "etherscan" | "blockscout" | "sourcify";

export interface VerificationEntry {
  /** "verified" also covers a contract the explorer already had; a re-run retries only "failed". */
  status: "verified" | "failed";
  /** Where people see the verified source. */
  url: string;
  /** ISO time of the last attempt. */
  at: string;
  /** Why it failed (or that it was verified already). */
  message?: string;
}

/** A partial stack, as records look while a deploy is under way. */
export type StackDraft = Omit<StackRecord, "safes" | "timelock"> & {
  safes: Partial<StackRecord["safes"]>;
  timelock?: StackRecord["timelock"];
};
