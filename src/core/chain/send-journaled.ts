import { isError, keccak256, toQuantity, type TransactionReceipt, type TransactionRequest } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import { minedEntry } from "../records/journal.js";
import type { Address, Hex } from "../records/stack-record.js";
import type { FeeStrategy } from "../gas/create-fee-strategy.js";
import type { TxContext } from "./tx-context.js";

/**
 * Sends one transaction with write-ahead journaling: the intent (with the nonce, set explicitly)
 * is appended before the transaction leaves, its hash right after, its receipt once mined. With
 * the nonce fixed in advance, at most one transaction can ever be mined for an intent, however
 * often a crashed run is repeated.
 *
 * With `ctx.fees`, gas limit and fees come from the fee strategy (one estimate, one fee policy),
 * priced after the nonce read and before the intent is journaled: a refusal (RS5101, "the chain is
 * congested") or a revert found by the estimate leaves nothing behind, and the `tx-fees` event lets
 * the reporter show fee and cost before the transaction leaves.
 *
 * JSON-RPC: eth_getTransactionCount (pending), eth_estimateGas/eth_feeHistory/eth_getCode (fee
 * strategy; otherwise the signer's own estimate), eth_sendTransaction, eth_getTransactionReceipt.
 */
export async function sendJournaled(
  ctx: TxContext,
  step: string,
  request: TransactionRequest,
): Promise<TransactionReceipt> {
  const from = (await ctx.signer.getAddress()) as Address;
  const nonce = await ctx.provider.getTransactionCount(from, "pending");
  const data = (request.data ?? "0x") as Hex;
  const at = () => ctx.now().toISOString();
  const priced = ctx.fees === undefined ? request : await priceTransaction(ctx, ctx.fees, step, from, request, data);
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
    hash = await broadcast(ctx, { ...priced, from, nonce });
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

  const receipt = await waitForReceipt(ctx, hash);
  if (receipt === null) throw new ReleaseError(ERRORS.RECORDS.PENDING_TX, { step, from, nonce, hash });
  await ctx.records.appendJournal(minedEntry({ step, from, nonce, hash, at: at() }, receipt));
  if (receipt.status !== 1) throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash });
  return receipt;
}

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
async function waitForReceipt(ctx: TxContext, hash: Hex): Promise<TransactionReceipt | null> {
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  for (let delay = 0; Date.now() < deadline; delay = Math.min(2_000, delay + 250)) {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const receipt = await ctx.provider.getTransactionReceipt(hash).catch(() => null);
    if (receipt !== null) return receipt;
  }
  return null;
}

async function priceTransaction(
  ctx: TxContext,
  fees: FeeStrategy,
  step: string,
  from: Address,
  request: TransactionRequest,
  data: Hex,
): Promise<TransactionRequest> {
  let plan;
  try {
    plan = await fees.plan(step, {
      from,
      to: (request.to as Address | null | undefined) ?? null,
      data,
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
  ctx.onEvent({ type: "tx-fees", step, estimate: plan });
  return {
    ...request,
    gasLimit: plan.gasLimit,
    ...(quote.type === "eip1559"
      ? { maxFeePerGas: quote.maxFeePerGas, maxPriorityFeePerGas: quote.maxPriorityFeePerGas }
      : { gasPrice: quote.gasPrice }),
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
