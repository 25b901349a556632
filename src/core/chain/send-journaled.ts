import { isError, keccak256, toQuantity, type TransactionReceipt, type TransactionRequest } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { minedEntry } from "../records/journal.js";
import type { Address, Hex } from "../records/stack-record.js";
import type { TransactionCostEstimate } from "../gas/estimate-transaction-cost.js";
import type { TxContext } from "./tx-context.js";

/** One transaction for {@link sendTogether}. */
export interface JournaledTransaction {
  step: string;
  /** Announced (`step-start`) just before it is sent; without it the caller announces the step. */
  title?: string;
  request: TransactionRequest;
}

/** {@link sendTogether} for one transaction. */
export async function sendJournaled(
  ctx: TxContext,
  step: string,
  request: TransactionRequest,
): Promise<TransactionReceipt> {
  const [receipt] = await sendTogether(ctx, [{ step, request }]);
  return receipt!;
}

/**
 * Sends transactions with write-ahead journaling: each intent (with its nonce, set explicitly) is
 * appended before the transaction leaves, its hash right after, its receipt once mined. With the
 * nonce fixed in advance, at most one transaction can ever be mined for an intent, however often a
 * crashed run is repeated.
 *
 * Transactions given together must not depend on each other: they are sent one after another with
 * consecutive nonces, without waiting in between, so they can share a block, and then awaited
 * together (with `ctx.confirmations` blocks each). If one cannot be sent, those after it are not
 * (their nonces would wait behind a gap); those before it are still awaited and recorded, then the
 * error is thrown.
 *
 * With `ctx.fees`, gas limits and fees come from the fee strategy (one estimate, one fee policy),
 * all priced before the first intent is journaled: a refusal (RS5101, "the chain is congested") or
 * a revert found by any estimate sends none of them, and the `tx-fees` event lets the reporter show
 * fee and cost before each transaction leaves.
 *
 * JSON-RPC: eth_getTransactionCount (pending), eth_estimateGas/eth_feeHistory/eth_getCode (fee
 * strategy; otherwise the signer's own estimate), eth_sendTransaction per transaction, then
 * eth_getTransactionReceipt (and eth_blockNumber with confirmations) for all of them together.
 */
export async function sendTogether(ctx: TxContext, txs: JournaledTransaction[]): Promise<TransactionReceipt[]> {
  if (txs.length === 0) return [];
  const from = (await ctx.signer.getAddress()) as Address;
  const [first, priced] = await Promise.all([
    ctx.provider.getTransactionCount(from, "pending"),
    Promise.all(txs.map((tx) => priceTransaction(ctx, from, tx))),
  ]);
  const sent: Sent[] = [];
  let failure: Error | undefined;
  for (const [index, tx] of txs.entries()) {
    try {
      sent.push(await submit(ctx, tx, priced[index]!, from, first + index));
    } catch (error) {
      failure = error as Error;
      break;
    }
  }
  const mined = await Promise.allSettled(sent.map((tx) => awaitMined(ctx, tx)));
  if (failure !== undefined) throw failure;
  const rejected = mined.find((outcome) => outcome.status === "rejected");
  if (rejected !== undefined) throw rejected.reason as Error;
  return mined.map((outcome) => (outcome as PromiseFulfilledResult<TransactionReceipt>).value);
}

interface Priced {
  request: TransactionRequest;
  estimate?: TransactionCostEstimate;
}

interface Sent {
  step: string;
  from: Address;
  nonce: number;
  hash: Hex;
}

/** Journals the intent, sends, journals the hash: the part of a send that must happen in nonce order. */
async function submit(ctx: TxContext, tx: JournaledTransaction, priced: Priced, from: Address, nonce: number) {
  const { step, request } = tx;
  const data = (request.data ?? "0x") as Hex;
  const at = () => ctx.now().toISOString();
  if (tx.title !== undefined) ctx.onEvent({ type: "step-start", step, title: tx.title });
  if (priced.estimate !== undefined) ctx.onEvent({ type: "tx-fees", step, estimate: priced.estimate });
  await ctx.records.appendJournal({
    type: "intent",
    step,
    from,
    nonce,
    to: (request.to as Address | undefined) ?? null,
    dataHash: keccak256(data) as Hex,
    at: at(),
  });

  let hash: Hex;
  try {
    hash = await broadcast(ctx, { ...priced.request, from, nonce });
  } catch (error) {
    // An error from the send is not proof that nothing was sent: an endpoint may hang or fail
    // after passing the transaction on. Only a nonce still free, with no signed transaction
    // journaled for it, means "never left".
    const fate = await findFate(ctx, from, nonce);
    if (fate.type === "unsent") {
      await ctx.records.appendJournal({
        type: "dropped",
        step,
        from,
        nonce,
        reason: (error as Error).message,
        at: at(),
      });
      throw new ReleaseError(
        ERRORS.DEPLOY.TX_FAILED,
        { step, hash: `not sent: ${shortReason(error)}` },
        error as Error,
      );
    }
    if (fate.type === "consumed") {
      await ctx.records.appendJournal({
        type: "dropped",
        step,
        from,
        nonce,
        reason: "nonce consumed; effect re-checked on chain",
        at: at(),
      });
      throw new ReleaseError(
        ERRORS.DEPLOY.TX_FAILED,
        { step, hash: `mined, hash unknown: ${shortReason(error)}` },
        error as Error,
      );
    }
    if (fate.type === "pending") {
      throw new ReleaseError(ERRORS.RECORDS.PENDING_TX, { step, from, nonce, hash: fate.hash }, error as Error);
    }
    hash = fate.hash;
  }
  await ctx.records.appendJournal({ type: "sent", step, from, nonce, hash, at: at() });
  ctx.onEvent({ type: "tx-sent", step, hash, nonce });
  return { step, from, nonce, hash };
}

/**
 * Waits until a sent transaction is mined with `ctx.confirmations` blocks (the block it is in
 * counts as the first), reporting progress, and journals its receipt. A receipt that disappears
 * while confirmations accrue (a reorg) is waited for again.
 *
 * JSON-RPC: eth_getTransactionReceipt, eth_blockNumber.
 */
async function awaitMined(ctx: TxContext, { step, from, nonce, hash }: Sent): Promise<TransactionReceipt> {
  const needed = ctx.confirmations ?? 1;
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  let receipt = await waitForReceipt(ctx, hash, deadline);
  let seen = 0;
  while (receipt !== null && needed > 1) {
    if (Date.now() >= deadline) {
      receipt = null;
      break;
    }
    const head = await ctx.provider.getBlockNumber().catch(() => undefined);
    const blocks = head === undefined ? seen : Math.max(0, head - receipt.blockNumber + 1);
    if (blocks !== seen) ctx.onEvent({ type: "tx-confirmations", step, hash, blocks, needed });
    seen = blocks;
    if (blocks < needed) {
      await pause(Math.min(2_000, 250 * (needed - blocks)));
      continue;
    }
    const again = await ctx.provider.getTransactionReceipt(hash).catch(() => undefined);
    if (again?.blockHash === receipt.blockHash) break;
    if (again === undefined) {
      await pause(1_000); // the endpoint failed: ask again
      continue;
    }
    // Reorganized into another block (count again from there), or out of the chain (wait for it).
    receipt = again ?? (await waitForReceipt(ctx, hash, deadline));
    seen = 0;
  }
  if (receipt === null) throw new ReleaseError(ERRORS.RECORDS.PENDING_TX, { step, from, nonce, hash });
  await ctx.records.appendJournal(minedEntry({ step, from, nonce, hash, at: ctx.now().toISOString() }, receipt));
  if (receipt.status !== 1) throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash });
  return receipt;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * eth_sendTransaction through the signer's provider: the account's own handler signs it (a local
 * key, a Ledger, the node's account), and the RPC layer journals the signed transaction before it
 * is posted. Only the hash comes back; waiting is ours (see waitForReceipt).
 */
async function broadcast(ctx: TxContext, tx: TransactionRequest & { from: Address; nonce: number }): Promise<Hex> {
  const provider = ctx.signer.provider as unknown as { send(method: string, params: unknown[]): Promise<unknown> };
  const quantity = (value: unknown) =>
    value === undefined || value === null ? undefined : toQuantity(value as bigint);
  const rpcTx = Object.fromEntries(
    Object.entries({
      from: tx.from,
      to: tx.to ?? undefined,
      data: tx.data ?? "0x",
      value: quantity(tx.value ?? 0n),
      nonce: quantity(tx.nonce),
      gas: quantity(tx.gasLimit),
      maxFeePerGas: quantity(tx.maxFeePerGas),
      maxPriorityFeePerGas: quantity(tx.maxPriorityFeePerGas),
      gasPrice: quantity(tx.gasPrice),
    }).filter(([, v]) => v !== undefined),
  );
  return (await provider.send("eth_sendTransaction", [rpcTx])) as Hex;
}

/** How long a sent transaction may take to be mined before the command stops and says so (RS7005). */
const RECEIPT_TIMEOUT_MS = 10 * 60_000;

/**
 * Polls for the receipt (answers the node does not have yet, or endpoint failures, are retried)
 * until it is mined or RECEIPT_TIMEOUT_MS have passed; null then. A re-run continues from the
 * journal either way.
 *
 * JSON-RPC: eth_getTransactionReceipt.
 */
async function waitForReceipt(
  ctx: TxContext,
  hash: Hex,
  deadline = Date.now() + RECEIPT_TIMEOUT_MS,
): Promise<TransactionReceipt | null> {
  for (let delay = 0; Date.now() < deadline; delay = Math.min(2_000, delay + 250)) {
    if (delay > 0) await pause(delay);
    const receipt = await ctx.provider.getTransactionReceipt(hash).catch(() => null);
    if (receipt !== null) return receipt;
  }
  return null;
}

/** Gas limit and fees from `ctx.fees` (the request as it is without one: the signer fills them). */
async function priceTransaction(
  ctx: TxContext,
  from: Address,
  { step, request }: JournaledTransaction,
): Promise<Priced> {
  if (ctx.fees === undefined) return { request };
  let plan;
  try {
    plan = await ctx.fees.plan(step, {
      from,
      to: (request.to as Address | null | undefined) ?? null,
      data: (request.data ?? "0x") as Hex,
      value: request.value === undefined || request.value === null ? undefined : BigInt(request.value),
    });
  } catch (error) {
    // A revert found while estimating is the step's failure, as it was when the signer estimated.
    if (ReleaseError.is(error, ERRORS.GAS.ESTIMATE_REVERTED)) {
      throw new ReleaseError(
        ERRORS.DEPLOY.TX_FAILED,
        { step, hash: `not sent: ${String(error.values.reason)}` },
        error,
      );
    }
    throw error;
  }
  const { fees: quote } = plan;
  return {
    estimate: plan,
    request: {
      ...request,
      gasLimit: plan.gasLimit,
      ...(quote.type === "eip1559"
        ? { maxFeePerGas: quote.maxFeePerGas, maxPriorityFeePerGas: quote.maxPriorityFeePerGas }
        : { gasPrice: quote.gasPrice }),
    },
  };
}

type Fate =
  { type: "known"; hash: Hex } | { type: "pending"; hash: Hex | "unknown" } | { type: "consumed" } | { type: "unsent" };

/**
 * What became of a transaction whose send failed. Its hash comes from the journal's broadcast
 * entry, written by the RPC layer before any node saw it. Mined or known to a node: it was sent.
 * Signed but known nowhere: the raw transaction is broadcast again (an endpoint may have kept it
 * to itself), and it stays pending until the chain decides; never "unsent". Without a signed
 * transaction: its nonce says whether anything with that nonce reached the chain.
 *
 * JSON-RPC: eth_getTransactionReceipt, eth_getTransactionByHash, eth_sendRawTransaction,
 * eth_getTransactionCount.
 */
async function findFate(ctx: TxContext, from: Address, nonce: number): Promise<Fate> {
  const broadcast = (await ctx.records.readJournal()).findLast(
    (e) => e.type === "broadcast" && e.from.toLowerCase() === from.toLowerCase() && e.nonce === nonce,
  );
  if (broadcast?.type === "broadcast") {
    const { hash, raw } = broadcast;
    if ((await ctx.provider.getTransactionReceipt(hash).catch(() => null)) !== null) return { type: "known", hash };
    if ((await ctx.provider.getTransaction(hash).catch(() => null)) !== null) return { type: "known", hash };
    await ctx.provider.broadcastTransaction(raw).catch(() => undefined);
    return (await waitForReceipt(ctx, hash)) === null ? { type: "pending", hash } : { type: "known", hash };
  }
  const [latest, pending] = await Promise.all([
    ctx.provider.getTransactionCount(from, "latest"),
    ctx.provider.getTransactionCount(from, "pending"),
  ]);
  if (latest > nonce) return { type: "consumed" };
  if (pending > nonce) return { type: "pending", hash: "unknown" };
  return { type: "unsent" };
}

function shortReason(error: unknown): string {
  if (isError(error, "CALL_EXCEPTION")) return error.shortMessage;
  return (error as Error).message.split("\n")[0] ?? "unknown";
}
