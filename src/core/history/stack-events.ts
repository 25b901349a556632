import { getAddress, Interface, type Log, type LogDescription } from "ethers";

import type { Address, Hex } from "../types.js";

/**
 * Every event that tells the story of a governed stack: who holds which role, what the timelock
 * queued and ran, what the Safes executed and how their control changed, what the proxies run.
 * Emitted by the timelock, the Safes and the proxies (the governed base contract's events come
 * from the proxy's address).
 */
export const STACK_EVENTS = new Interface([
  // AccessControl (timelock and governed proxies)
  "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
  // TimelockController
  "event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)",
  "event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)",
  "event CallSalt(bytes32 indexed id, bytes32 salt)",
  "event Cancelled(bytes32 indexed id)",
  "event MinDelayChange(uint256 oldDuration, uint256 newDuration)",
  // Safe v1.3 / v1.4.1
  "event SafeSetup(address indexed initiator, address[] owners, uint256 threshold, address initializer, address fallbackHandler)",
  "event ApproveHash(bytes32 indexed approvedHash, address indexed owner)",
  "event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)",
  "event ExecutionFailure(bytes32 indexed txHash, uint256 payment)",
  "event AddedOwner(address indexed owner)",
  "event RemovedOwner(address indexed owner)",
  "event ChangedThreshold(uint256 threshold)",
  "event EnabledModule(address indexed module)",
  "event DisabledModule(address indexed module)",
  "event ChangedGuard(address indexed guard)",
  "event ChangedFallbackHandler(address indexed handler)",
  "event ExecutionFromModuleSuccess(address indexed module)",
  "event ExecutionFromModuleFailure(address indexed module)",
  // ERC-1967 proxy, Pausable, Initializable, the governed base contract
  "event Upgraded(address indexed implementation)",
  "event AdminChanged(address previousAdmin, address newAdmin)",
  "event BeaconUpgraded(address indexed beacon)",
  "event Paused(address account)",
  "event Unpaused(address account)",
  "event Initialized(uint64 version)",
  "event RollbackTargetSet(address indexed target, uint64 deadline)",
  "event RollbackTargetCleared(address indexed target)",
  "event RolledBack(address indexed from, address indexed to, address indexed guardian)",
  "event RollbackWindowChanged(uint64 previous, uint64 current)",
]);

/** One event of the stack, decoded (or kept raw when no known ABI decodes it). */
export interface StackEvent {
  /** Checksummed address of the contract that emitted it. */
  address: Address;
  /** Event name, or null when the event is not one the toolkit knows. */
  name: string | null;
  /** Arguments by name: addresses checksummed, numbers in decimal, bytes as hex. */
  args: Record<string, string>;
  blockNumber: number;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: number;
  topics: Hex[];
  data: Hex;
}

/** Decodes a log with the stack's event ABI (and any extra ABIs, e.g. an implementation's own events). */
export function decodeStackLog(log: Log, extra: Interface[] = []): StackEvent {
  let parsed: LogDescription | null = null;
  for (const abi of [STACK_EVENTS, ...extra]) {
    try {
      parsed = abi.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      parsed = null;
    }
    if (parsed !== null) break;
  }
  const args: Record<string, string> = {};
  parsed?.fragment.inputs.forEach((input, i) => {
    args[input.name || String(i)] = formatArg(parsed.args[i]);
  });
  return {
    address: getAddress(log.address) as Address,
    name: parsed?.name ?? null,
    args,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash as Hex,
    transactionHash: log.transactionHash as Hex,
    logIndex: log.index,
    topics: log.topics as Hex[],
    data: log.data as Hex,
  };
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]{40}$/.test(value) ? getAddress(value) : value;
  if (Array.isArray(value)) return JSON.stringify(value.map(formatArg));
  return String(value);
}
