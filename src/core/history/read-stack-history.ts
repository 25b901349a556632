import type { Interface, Provider } from "ethers";

import type { StackRecord } from "../records/stack-record.js";
import type { Address, Hex } from "../types.js";
import { readLogs } from "./read-logs.js";
import { decodeStackLog, type StackEvent } from "./stack-events.js";

/** Where an event happened: enough to find it again on an explorer. */
export interface EventPlace {
  block: number;
  txHash: Hex;
}

/** A timelock operation as the timelock's own events tell it. */
export interface OperationHistory {
  id: Hex;
  calls: Array<{ target: Address; value: string; data: Hex }>;
  predecessor: Hex;
  delay: number;
  /** From CallSalt (absent for operations scheduled with a zero salt). */
  salt: Hex | null;
  scheduled: EventPlace;
  executed: EventPlace | null;
  cancelled: EventPlace | null;
  state: "pending" | "executed" | "cancelled";
}

/** An execTransaction of one of the stack's Safes, found by the Safe's own event. */
export interface SafeExecution extends EventPlace {
  safe: Address;
  safeTxHash: Hex;
  success: boolean;
}

export interface StackHistory {
  fromBlock: number;
  toBlock: number;
  /** Every event of the stack's contracts, oldest first. */
  events: StackEvent[];
  /** Current holders of every role ever granted, per contract: address -> role id -> holders. */
  roles: Record<Address, Record<Hex, Address[]>>;
  operations: OperationHistory[];
  executions: SafeExecution[];
  /** eth_getLogs requests the read took. */
  requests: number;
}

export interface ReadStackHistoryParameters {
  provider: Pick<Provider, "getLogs" | "getBlockNumber">;
  stack: StackRecord;
  /** Up to this block (the head by default). */
  toBlock?: number;
  /** The widest block range one eth_getLogs asks for. */
  maxRange?: number;
  /** ABIs to decode events the toolkit does not know (the implementations' own events). */
  abis?: Interface[];
}

/** The contracts whose events make up the stack's history. */
export function stackAddresses(stack: StackRecord): Address[] {
  return [
    ...new Set<Address>([
      stack.safes.owners.address,
      stack.safes.guardian.address,
      stack.timelock.address,
      ...Object.values(stack.proxies).map((p) => p.address),
    ]),
  ];
}

/**
 * The stack's whole on-chain history, from the block it was deployed in: one eth_getLogs for all
 * its contracts per block range (see readLogs), then everything derived from the events alone, so
 * that what others did on chain (a role granted through a foreign operation, a Safe transaction
 * executed in the Safe app, an operation scheduled by hand) is seen like what the toolkit did.
 *
 * JSON-RPC: eth_blockNumber (without `toBlock`), eth_getLogs per range.
 */
export async function readStackHistory(params: ReadStackHistoryParameters): Promise<StackHistory> {
  const fromBlock = params.stack.deployBlock ?? 0;
  const toBlock = params.toBlock ?? (await params.provider.getBlockNumber());
  const { logs, requests } = await readLogs({
    provider: params.provider,
    addresses: stackAddresses(params.stack),
    fromBlock,
    toBlock,
    maxRange: params.maxRange,
  });
  const events = logs.map((log) => decodeStackLog(log, params.abis));
  return { fromBlock, toBlock, events, requests, ...deriveHistory(events) };
}

/** Role holders, timelock operations and Safe executions from decoded events. Pure. */
export function deriveHistory(events: StackEvent[]): Pick<StackHistory, "roles" | "operations" | "executions"> {
  const roles: StackHistory["roles"] = {};
  const operations = new Map<Hex, OperationHistory>();
  const executions: SafeExecution[] = [];
  for (const event of events) {
    const place = { block: event.blockNumber, txHash: event.transactionHash };
    const a = event.args;
    switch (event.name) {
      case "RoleGranted":
      case "RoleRevoked": {
        const byRole = (roles[event.address] ??= {});
        const holders = new Set(byRole[a.role as Hex] ?? []);
        if (event.name === "RoleGranted") holders.add(a.account as Address);
        else holders.delete(a.account as Address);
        byRole[a.role as Hex] = [...holders];
        break;
      }
      case "CallScheduled": {
        const id = a.id as Hex;
        // A re-schedule after cancel reuses the id: the newest schedule wins.
        let op = operations.get(id);
        if (op === undefined || op.state === "cancelled" || Number(a.index) === 0) {
          op = {
            id,
            calls: [],
            predecessor: a.predecessor as Hex,
            delay: Number(a.delay),
            salt: op?.salt ?? null,
            scheduled: place,
            executed: null,
            cancelled: null,
            state: "pending",
          };
          operations.set(id, op);
        }
        op.calls[Number(a.index)] = { target: a.target as Address, value: a.value!, data: a.data as Hex };
        break;
      }
      case "CallSalt": {
        const op = operations.get(a.id as Hex);
        if (op !== undefined) op.salt = a.salt as Hex;
        break;
      }
      case "CallExecuted": {
        const op = operations.get(a.id as Hex);
        if (op !== undefined) {
          op.executed = place;
          op.state = "executed";
        }
        break;
      }
      case "Cancelled": {
        const op = operations.get(a.id as Hex);
        if (op !== undefined) {
          op.cancelled = place;
          op.state = "cancelled";
        }
        break;
      }
      case "ExecutionSuccess":
      case "ExecutionFailure":
        executions.push({
          safe: event.address,
          safeTxHash: a.txHash as Hex,
          success: event.name === "ExecutionSuccess",
          ...place,
        });
        break;
    }
  }
  return { roles, operations: [...operations.values()], executions };
}

/** The Safe's successful execution of `safeTxHash`, if any. */
export function findExecution(history: StackHistory, safe: Address, safeTxHash: Hex): SafeExecution | undefined {
  return history.executions.find(
    (e) => e.success && e.safe === safe && e.safeTxHash.toLowerCase() === safeTxHash.toLowerCase(),
  );
}
