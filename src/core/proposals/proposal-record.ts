import type { Address, Hex } from "../records/stack-record.js";
import type { SafeSignature, SafeTx, SafeTxHashes } from "../safe/safe-tx.js";
import type { TimelockOperation } from "./timelock-operation.js";

/** The name of a kind in the registry (src/core/proposals/kinds/registry.ts). */
export type ProposalKind = string;

/**
 * One Safe transaction of a proposal. Direct proposals (pause, instant rollback, cancel) have one
 * phase; timelock proposals have two, "schedule" then "execute", each signed on its own: the
 * execute phase gets its nonce only once the schedule phase has run, so a queued upgrade never
 * blocks the owners Safe's nonces for the length of the delay.
 */
export interface ProposalPhase {
  name: "direct" | "schedule" | "execute";
  /** null until the phase can be built (the execute phase, before scheduling). */
  safeTx: SafeTx | null;
  /** Stored for the file's reader; every command recomputes them and refuses a mismatch. */
  hashes: SafeTxHashes | null;
  signatures: SafeSignature[];
  /** Warning-level red flags that a signer or executor acknowledged (`--acknowledge RF-...`). */
  acknowledgements?: Acknowledgement[];
  /** `outside`: executed by someone else (the Safe app, a script), found on chain by its safeTxHash. */
  executed: { txHash: Hex; block: number; timestamp: number; outside?: boolean } | null;
}

/** A warning a person explicitly accepted before signing or executing, kept in the file for review. */
export interface Acknowledgement {
  code: string;
  message: string;
  /** The account that signed or executed. */
  by: string;
  command: "sign" | "execute" | "export" | "push";
  at: string;
}

/** A decoded call, for people: `contract.method(args)` at an address. */
export interface ProposalAction {
  target: Address;
  contract: string;
  method: string;
  args: string[];
  value: string;
}

export interface ProposalRecord {
  schemaVersion: 1;
  id: string;
  kind: ProposalKind;
  network: string;
  chainId: number;
  description: string;
  createdAt: string;
  safe: { role: "owners" | "guardian"; address: Address };
  /** The proxy the proposal acts on (absent for cancel). */
  proxy?: { name: string; address: Address };
  /** What finally happens on the proxy or timelock, decoded. */
  actions: ProposalAction[];
  timelock?: {
    address: Address;
    operation: TimelockOperation;
    id: Hex;
    /** Unix seconds when the operation becomes executable; set once scheduled. */
    eta: number | null;
  };
  /** For upgrades and rollbacks: the implementation switch and what the storage checks found. */
  implementation?: {
    from: Address;
    to: Address;
    contract: string;
    bytecodeHash: Hex;
    /** Calldata run on the new implementation during an upgrade (`--call`); "0x" for none. */
    call?: Hex;
    /** Storage the new version adds, which keeps its values if the proxy later returns to `from`. */
    retainedOnRollback: string[];
    clearsRollbackTarget: boolean;
  };
  /** For cancel: the timelock operation it cancels, and the proposal that scheduled it (none for a foreign one). */
  cancels?: { proposal?: string; operationId: Hex };
  /** Kind-specific parameters, as the kind declares them. */
  params?: Record<string, unknown>;
  phases: ProposalPhase[];
  status: ProposalStatus;
  history: Array<{ status: ProposalStatus; at: string; txHash?: Hex; note?: string }>;
}

export type ProposalStatus = "drafted" | "scheduled" | "executed" | "cancelled";
