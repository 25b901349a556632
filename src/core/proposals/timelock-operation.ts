import { AbiCoder, Interface, keccak256, ZeroHash } from "ethers";

import type { Address, Hex } from "../records/stack-record.js";

export const TIMELOCK_ABI = [
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt)",
  "function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt)",
  "function cancel(bytes32 id)",
  "function getTimestamp(bytes32 id) view returns (uint256)",
  "function getMinDelay() view returns (uint256)",
  "function updateDelay(uint256 newDelay)",
  "function isOperationPending(bytes32 id) view returns (bool)",
  "function isOperationReady(bytes32 id) view returns (bool)",
  "function isOperationDone(bytes32 id) view returns (bool)",
] as const;

export const TIMELOCK = new Interface(TIMELOCK_ABI);

/** One timelock operation: a single call, or an atomic batch (all calls execute, or none). */
export interface TimelockOperation {
  targets: Address[];
  values: string[];
  payloads: Hex[];
  predecessor: Hex;
  salt: Hex;
  delay: number;
}

/**
 * The operation id exactly as TimelockController computes it (hashOperation for one call,
 * hashOperationBatch for several), so it can be checked without trusting a stored value.
 */
export function timelockOperationId(op: TimelockOperation): Hex {
  const coder = AbiCoder.defaultAbiCoder();
  if (op.targets.length === 1) {
    return keccak256(
      coder.encode(
        ["address", "uint256", "bytes", "bytes32", "bytes32"],
        [op.targets[0], op.values[0], op.payloads[0], op.predecessor, op.salt],
      ),
    ) as Hex;
  }
  return keccak256(
    coder.encode(
      ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
      [op.targets, op.values, op.payloads, op.predecessor, op.salt],
    ),
  ) as Hex;
}

export function encodeSchedule(op: TimelockOperation): Hex {
  return (
    op.targets.length === 1
      ? TIMELOCK.encodeFunctionData("schedule", [
          op.targets[0],
          op.values[0],
          op.payloads[0],
          op.predecessor,
          op.salt,
          op.delay,
        ])
      : TIMELOCK.encodeFunctionData("scheduleBatch", [
          op.targets,
          op.values,
          op.payloads,
          op.predecessor,
          op.salt,
          op.delay,
        ])
  ) as Hex;
}

export function encodeExecute(op: TimelockOperation): Hex {
  return (
    op.targets.length === 1
      ? TIMELOCK.encodeFunctionData("execute", [op.targets[0], op.values[0], op.payloads[0], op.predecessor, op.salt])
      : TIMELOCK.encodeFunctionData("executeBatch", [op.targets, op.values, op.payloads, op.predecessor, op.salt])
  ) as Hex;
}

export function encodeCancel(id: Hex): Hex {
  return TIMELOCK.encodeFunctionData("cancel", [id]) as Hex;
}

export const NO_PREDECESSOR = ZeroHash as Hex;
