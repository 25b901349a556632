import { ERRORS, ReleaseError } from "../errors.js";
import { minedEntry, unsettledEntries } from "../records/journal.js";
import type { TxContext } from "./tx-context.js";

/**
 * Resolves what a previous, interrupted run left open in the journal, before anything new is sent:
 * a transaction that was mined is recorded as such; one still pending blocks the run (sending
 * another could duplicate it); one that never reached the chain is closed as dropped. The steps
 * then look at the chain itself to decide what is left to do.
 *
 * JSON-RPC: eth_getTransactionReceipt, eth_getTransactionByHash, eth_getTransactionCount.
 */
export async function settleJournal(ctx: TxContext): Promise<void> {
  const open = unsettledEntries(await ctx.records.readJournal());
  for (const { intent, hash } of open) {
    const { step, from, nonce } = intent;
    const at = ctx.now().toISOString();
    if (hash !== undefined) {
      const receipt = await ctx.provider.getTransactionReceipt(hash);
      if (receipt !== null) {
        await ctx.records.appendJournal(minedEntry({ step, from, nonce, hash, at }, receipt));
        continue;
      }
    }
    const mined = await ctx.provider.getTransactionCount(from, "latest");
    if (mined > nonce) {
      // The nonce was consumed by a transaction whose receipt we cannot name (the run died between
      // sending and journaling the hash). Its effect, if any, is on chain; the step re-checks it.
      await ctx.records.appendJournal({
        type: "dropped",
        step,
        from,
        nonce,
        reason: "nonce consumed; effect re-checked on chain",
        at,
      });
      continue;
    }
    const pending = await ctx.provider.getTransactionCount(from, "pending");
    if (pending > nonce) {
      throw new ReleaseError(ERRORS.RECORDS.PENDING_TX, { step, from, nonce, hash: hash ?? "unknown" });
    }
    await ctx.records.appendJournal({ type: "dropped", step, from, nonce, reason: "never reached the chain", at });
  }
}
