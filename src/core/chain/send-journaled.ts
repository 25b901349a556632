import { isError, keccak256, type TransactionReceipt, type TransactionRequest } from "ethers";

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
  let wait: () => Promise<TransactionReceipt | null>;
  try {
    const response = await ctx.signer.sendTransaction({ ...priced, nonce });
    hash = response.hash as Hex;
    wait = () => response.wait();
  } catch (error) {
    // An error from the send is not proof that nothing was sent: an endpoint may hang or fail
    // after passing the transaction on. Only a nonce still free on chain means "never left".
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
    if (fate.type === "pending") {
      throw new ReleaseError(
        ERRORS.RECORDS.PENDING_TX,
        { step, from, nonce, hash: fate.hash ?? "unknown" },
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
    hash = fate.receipt.hash as Hex;
    const mined = fate.receipt;
    wait = async () => mined;
  }
  await ctx.records.appendJournal({ type: "sent", step, from, nonce, hash, at: at() });
  ctx.onEvent({ type: "tx-sent", step, hash, nonce });

  let receipt: TransactionReceipt | null;
  try {
    receipt = await wait();
  } catch (error) {
    if (!isError(error, "CALL_EXCEPTION") || error.receipt == null) throw error;
    receipt = error.receipt;
  }
  if (receipt === null) {
    throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash });
  }
  await ctx.records.appendJournal(minedEntry({ step, from, nonce, hash, at: at() }, receipt));
  if (receipt.status !== 1) throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash });
  return receipt;
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
  | { type: "mined"; receipt: TransactionReceipt }
  | { type: "pending"; hash?: Hex }
  | { type: "consumed" }
  | { type: "unsent" };

/**
 * What became of a transaction whose send failed: mined (its hash from the journal's broadcast
 * entry, written by the RPC layer before posting), pending, its nonce consumed by a transaction we
 * cannot name, or never sent.
 *
 * JSON-RPC: eth_getTransactionReceipt, eth_getTransactionByHash, eth_getTransactionCount.
 */
async function findFate(ctx: TxContext, from: Address, nonce: number): Promise<Fate> {
  const broadcast = (await ctx.records.readJournal()).findLast(
    (e) => e.type === "broadcast" && e.from.toLowerCase() === from.toLowerCase() && e.nonce === nonce,
  );
  const hash = broadcast?.type === "broadcast" ? broadcast.hash : undefined;
  if (hash !== undefined) {
    const receipt = await ctx.provider.getTransactionReceipt(hash).catch(() => null);
    if (receipt !== null) return { type: "mined", receipt };
    if ((await ctx.provider.getTransaction(hash).catch(() => null)) !== null) return { type: "pending", hash };
  }
  const [latest, pending] = await Promise.all([
    ctx.provider.getTransactionCount(from, "latest"),
    ctx.provider.getTransactionCount(from, "pending"),
  ]);
  if (latest > nonce) return { type: "consumed" };
  if (pending > nonce) return { type: "pending", hash };
  return { type: "unsent" };
}

function shortReason(error: unknown): string {
  if (isError(error, "CALL_EXCEPTION")) return error.shortMessage;
  return (error as Error).message.split("\n")[0] ?? "unknown";
}
