import { id, ZeroHash } from "ethers";

import type { Hex } from "../records/stack-record.js";

/** Role ids of the governed UUPS base contract and of OpenZeppelin's TimelockController. */
export const ROLES = {
  DEFAULT_ADMIN: ZeroHash as Hex,
  UPGRADER: id("UPGRADER_ROLE") as Hex,
  PAUSER: id("PAUSER_ROLE") as Hex,
  GUARDIAN: id("GUARDIAN_ROLE") as Hex,
  PROPOSER: id("PROPOSER_ROLE") as Hex,
  EXECUTOR: id("EXECUTOR_ROLE") as Hex,
  CANCELLER: id("CANCELLER_ROLE") as Hex,
} as const;

export type RoleName = keyof typeof ROLES;

/** ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
export const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

/** The few functions the off-chain code calls on governed proxies and the timelock. */
export const GOVERNED_ABI = [
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function paused() view returns (bool)",
  "function rollbackTarget() view returns (address target, uint64 deadline)",
  "function rollbackWindow() view returns (uint64)",
  "function getMinDelay() view returns (uint256)",
] as const;

const ROLE_NAMES = new Map<string, RoleName>(Object.entries(ROLES).map(([name, id]) => [id, name as RoleName]));

/** DEFAULT_ADMIN, UPGRADER, ... for a role id; the id itself for a role the toolkit does not know. */
export function roleName(role: Hex): string {
  return ROLE_NAMES.get(role.toLowerCase()) ?? role;
}
