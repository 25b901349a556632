import { isError, keccak256, type TransactionReceipt, type TransactionRequest } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import type { TxContext } from "./tx-context.js";

/**
 * Sends one transaction with write-ahead journaling: the intent (with the nonce, set explicitly)
 * is appended before the transaction leaves, its hash right after, its receipt once mined. With
 * the nonce fixed in advance, at most one transaction can ever be mined for an intent, however
 * often a crashed run is repeated.
 *
 * JSON-RPC: eth_getTransactionCount (pending), eth_estimateGas/fees (through the signer),
 * eth_sendTransaction, eth_getTransactionReceipt.
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
    const response = await ctx.signer.sendTransaction({ ...request, nonce });
    hash = response.hash as Hex;
    wait = () => response.wait();
  } catch (error) {
    // Refused before it left (a revert found by gas estimation, a rejected signature): the nonce
    // stays free, so the intent is closed and nothing is retried blindly.
    await ctx.records.appendJournal({ type: "dropped", step, from, nonce, reason: (error as Error).message, at: at() });
    throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash: `not sent: ${shortReason(error)}` }, error as Error);
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
  const status = receipt.status === 1 ? "success" : "reverted";
  await ctx.records.appendJournal({
    type: "mined",
    step,
    from,
    nonce,
    hash,
    block: receipt.blockNumber,
    gasUsed: receipt.gasUsed.toString(),
    status,
    at: at(),
  });
  if (status !== "success") throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash });
  return receipt;
}

function shortReason(error: unknown): string {
  if (isError(error, "CALL_EXCEPTION")) return error.shortMessage;
  return (error as Error).message.split("\n")[0] ?? "unknown";
}
