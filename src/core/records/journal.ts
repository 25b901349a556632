import type { Address, Hex } from "./stack-record.js";

/**
 * One line of `journal.jsonl`. The journal is append-only and written BEFORE a transaction is
 * sent (`intent`, with the nonce it will use), then after (`sent` with the hash, `mined`), so a
 * run that dies at any point leaves enough to tell, on the next run, whether the transaction
 * reached the chain, is still pending, or never left: a re-run then looks it up instead of
 * sending it again.
 */
export type JournalEntry =
  | { type: "intent"; step: string; from: Address; nonce: number; to: Address | null; dataHash: Hex; at: string }
  | { type: "sent"; step: string; from: Address; nonce: number; hash: Hex; at: string }
  /** The signed transaction, written by the RPC layer before it is posted to any node. */
  | { type: "broadcast"; from: Address; nonce: number; hash: Hex; raw: Hex; at: string }
  | {
      type: "mined";
      step: string;
      from: Address;
      nonce: number;
      hash: Hex;
      block: number;
      gasUsed: string;
      status: "success" | "reverted";
      at: string;
    }
  | { type: "dropped"; step: string; from: Address; nonce: number; reason: string; at: string };

/** The `mined` line for a receipt. */
export function minedEntry(
  fields: { step: string; from: Address; nonce: number; hash: Hex; at: string },
  receipt: { blockNumber: number; gasUsed: bigint; status: number | null },
): JournalEntry {
  return {
    type: "mined",
    ...fields,
    block: receipt.blockNumber,
    gasUsed: receipt.gasUsed.toString(),
    status: receipt.status === 1 ? "success" : "reverted",
  };
}

/** The transactions announced in the journal whose fate is not recorded yet. */
type Intent = Extract<JournalEntry, { type: "intent" }>;

export function unsettledEntries(entries: JournalEntry[]): Array<{ intent: Intent; hash?: Hex }> {
  const open = new Map<string, { intent: Intent; hash?: Hex }>();
  for (const entry of entries) {
    const key = `${entry.from.toLowerCase()}:${entry.nonce}`;
    if (entry.type === "intent") open.set(key, { intent: entry });
    else if (entry.type === "sent" || entry.type === "broadcast") {
      const pending = open.get(key);
      if (pending !== undefined) pending.hash = entry.hash;
    } else open.delete(key);
  }
  return [...open.values()];
}
