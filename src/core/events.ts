import type { TransactionCostEstimate } from "./gas/estimate-transaction-cost.js";
import type { Address, Hex } from "./records/stack-record.js";

/**
 * What the core tells the outside world while it works. The core never prints: `src/ui` renders
 * these (spinner lines, or nothing with --json).
 */
export type ReleaseEvent =
  | { type: "step-start"; step: string; title: string }
  | { type: "tx-sent"; step: string; hash: Hex; nonce: number }
  /** A mined transaction's progress towards the network's `confirmations` (its own block counts as 1). */
  | { type: "tx-confirmations"; step: string; hash: Hex; blocks: number; needed: number }
  /** Gas limit, fees and cost of a transaction about to be sent (fee strategy in use). */
  | { type: "tx-fees"; step: string; estimate: TransactionCostEstimate }
  | {
      type: "step-done";
      step: string;
      title: string;
      /** "sent": a transaction did the work; "existing": it was already done (nothing sent). */
      outcome: "sent" | "existing";
      address?: Address;
      txHash?: Hex;
      gasUsed?: bigint;
    }
  | { type: "warning"; message: string }
  /** The records caught up with the chain: a phase executed or an operation cancelled without them. */
  | {
      type: "followed";
      proposal: string;
      phase: string;
      what: "executed" | "cancelled";
      txHash: Hex;
      block: number;
      outside: boolean;
    };

export type EventSink = (event: ReleaseEvent) => void;
