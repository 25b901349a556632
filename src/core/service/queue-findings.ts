import type { Finding } from "../governance/inspect-stack.js";
import type { RedFlag } from "../review/find-red-flags.js";
import type { Address, Hex } from "../types.js";
import type { QueuedTransaction, ServiceQueue } from "./read-service-queue.js";

function describe(tx: QueuedTransaction): string {
  return `${tx.summary.join("; ")} (safeTxHash ${tx.safeTxHash}, ${tx.confirmations.length} confirmation(s))`;
}

/** `release status`: every queued transaction that is a danger is a finding about the stack. */
export function queueFindings(queue: ServiceQueue): Finding[] {
  return queue.transactions
    .filter((tx) => tx.danger !== null)
    .map((tx) => ({
      subject: `Transaction Service queue, ${tx.safe.role} Safe nonce ${tx.nonce}`,
      expected: "only transactions a proposal file explains",
      actual: `${tx.danger}: ${describe(tx)}`,
      severity: "danger",
    }));
}

/**
 * `release review`: a queued transaction competing for the reviewed phase's nonce, or the
 * service's own copy of the phase not holding, is a danger of the proposal (RF-024): signers in
 * Safe{Wallet} may approve that one instead, and only one of them can ever execute. Other
 * unexplained queued transactions are dangers of the stack (RF-020).
 */
export function queueRedFlags(
  queue: ServiceQueue,
  phase: { safe: Address; nonce: number; safeTxHash: Hex },
): RedFlag[] {
  const flags: RedFlag[] = [];
  for (const tx of queue.transactions) {
    if (tx.danger === null) continue;
    const sameNonce = tx.safe.address === phase.safe && tx.nonce === phase.nonce;
    const ours = tx.safeTxHash === phase.safeTxHash.toLowerCase();
    if (sameNonce || ours) {
      flags.push({
        code: "RF-024",
        severity: "danger",
        scope: "proposal",
        message: ours
          ? `The Transaction Service's copy of this transaction does not hold: ${tx.danger}.`
          : `The Transaction Service queues another transaction at this Safe's nonce ${tx.nonce}: ${describe(tx)}; ${tx.danger}. Signers in Safe{Wallet} may approve it instead: only one of the two can execute.`,
      });
    } else {
      flags.push({
        code: "RF-020",
        severity: "danger",
        scope: "stack",
        message: `Transaction Service queue, ${tx.safe.role} Safe nonce ${tx.nonce}: ${tx.danger}: ${describe(tx)}.`,
      });
    }
  }
  return flags;
}
