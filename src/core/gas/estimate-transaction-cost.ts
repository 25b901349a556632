import { Interface, toQuantity, Transaction, ZeroAddress } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import type { Eip1193Provider } from "../rpc/json-rpc.js";
import type { FeeOverride, FeePolicy } from "./resolve-fee-policy.js";

/** OP Stack's GasPriceOracle predeploy: charges the L1 data fee outside the gas limit. */
export const OP_GAS_PRICE_ORACLE: Address = "0x420000000000000000000000000000000000000F";
const ORACLE = new Interface(["function getL1Fee(bytes) view returns (uint256)"]);
/** When no recent block had a paying transaction there is no tip to learn from. */
export const FALLBACK_TIP = 1_000_000_000n;
/**
 * Above this share of its gas limit a block was contested. EIP-1559 aims at half full; a block
 * under a third full had room for everyone who paid the base fee.
 */
const CONGESTED_RATIO = 0.3;
/** Urgent transactions (pause, rollback) bid the 90th percentile tip to get into the next blocks. */
export const URGENT_TIP_PERCENTILE = 90;

export interface TransactionToEstimate {
  from?: Address;
  to: Address | null;
  data: Hex;
  value?: bigint;
}

export type FeeQuote =
  | { type: "eip1559"; nextBaseFee: bigint; maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }
  | { type: "legacy"; gasPrice: bigint };

export interface FeePolicyVerdict {
  /** The cap in force for this transaction (wei per gas), null when none. */
  cap: bigint | null;
  /** What the transaction needs per gas to be included now: next base fee + tip, or the gas price. */
  neededFeePerGas: bigint;
  /** ok: within the cap; capped: maxFeePerGas lowered to the cap; refused: above it; urgent: no cap applied. */
  verdict: "ok" | "capped" | "refused" | "urgent";
}

export interface TransactionCostEstimate {
  gasEstimate: bigint;
  /** gasEstimate plus the policy's buffer: what the transaction is sent with. */
  gasLimit: bigint;
  fees: FeeQuote;
  /** OP Stack L1 data fee (wei), charged on top of gas; null on other chains. */
  l1DataFee: bigint | null;
  /** The most the transaction can cost: gasLimit x max fee + L1 fee (wei). */
  maxCost: bigint;
  /** What it costs if it uses the estimated gas at the fee needed now (wei). */
  expectedCost: bigint;
  policy: FeePolicyVerdict;
  /** Which RPC endpoint answered (redacted), when a failover layer is in use. */
  endpoint: string | null;
  /** JSON-RPC requests this estimate made. */
  requests: number;
}

export interface EstimateTransactionCostParameters {
  rpc: Eip1193Provider;
  tx: TransactionToEstimate;
  policy: FeePolicy;
  override?: FeeOverride;
  /** Reports the endpoint that answered last (the failover layer's); optional. */
  answeredBy?: () => string | undefined;
}

/**
 * Gas limit, fees and cost of one transaction, in at most three requests on L1 and four on the OP
 * Stack, sent in parallel:
 * - gas limit: eth_estimateGas plus `policy.gasLimitBuffer` percent. For a Safe execution, estimate
 *   the execTransaction calldata WITH the final signatures in place: signature checks cost gas.
 * - fees: ONE eth_feeHistory call gives the next block's base fee (its last entry) and recent tips;
 *   maxFeePerGas = 2 x next base fee + tip, which survives about six full blocks of +12.5% each.
 *   Chains without a base fee: eth_gasPrice.
 * - OP Stack (detected by code at the GasPriceOracle predeploy): GasPriceOracle.getL1Fee.
 * - policy: above the cap, refused unless urgent; between needed and 2x, maxFeePerGas is lowered to
 *   the cap (the transaction still goes in now, with less headroom).
 *
 * JSON-RPC: eth_estimateGas, eth_feeHistory, eth_getCode, then eth_gasPrice (no base fee) or
 * eth_call (OP Stack).
 *
 * @example
 * const cost = await estimateTransactionCost({ rpc: connection.provider, tx: { from, to, data }, policy: resolveFeePolicy(undefined) });
 */
export async function estimateTransactionCost(
  params: EstimateTransactionCostParameters,
): Promise<TransactionCostEstimate> {
  const { rpc, tx, policy, override = {} } = params;
  let requests = 0;
  const call = async (method: string, callParams: unknown[]) => {
    requests++;
    return rpc.request({ method, params: callParams });
  };
  const txParams = {
    ...(tx.from === undefined ? {} : { from: tx.from }),
    ...(tx.to === null ? {} : { to: tx.to }),
    data: tx.data,
    ...(tx.value === undefined || tx.value === 0n ? {} : { value: toQuantity(tx.value) }),
  };
  const percentiles = [policy.tipPercentile, Math.max(policy.tipPercentile, URGENT_TIP_PERCENTILE)];
  const [gasHex, history, oracleCode] = await Promise.all([
    call("eth_estimateGas", [txParams]).catch((error: unknown) => {
      if (ReleaseError.is(error)) throw error; // RS5002 from the failover layer says more than "revert"
      throw new ReleaseError(ERRORS.GAS.ESTIMATE_REVERTED, { reason: firstLine(error) }, error as Error);
    }),
    // Chains without EIP-1559 may not know eth_feeHistory at all: that is an answer, not a failure.
    call("eth_feeHistory", [toQuantity(policy.feeHistoryBlocks), "latest", percentiles]).catch((error: unknown) => {
      if (ReleaseError.is(error)) throw error;
      return null;
    }),
    call("eth_getCode", [OP_GAS_PRICE_ORACLE, "latest"]),
  ]);
  const gasEstimate = BigInt(gasHex as string);
  const gasLimit = (gasEstimate * BigInt(100 + policy.gasLimitBuffer)) / 100n;

  const quote = quoteFromHistory(history as FeeHistory | null, override.urgent === true);
  const fees: FeeQuote = quote ?? { type: "legacy", gasPrice: BigInt((await call("eth_gasPrice", [])) as string) };
  const verdict = decide(fees, policy, override);
  if (verdict.verdict === "capped" && fees.type === "eip1559") fees.maxFeePerGas = verdict.cap!;

  let l1DataFee: bigint | null = null;
  if (typeof oracleCode === "string" && oracleCode !== "0x") {
    const unsigned = Transaction.from({
      type: fees.type === "eip1559" ? 2 : 0,
      chainId: 1n, // only the size matters to the oracle; a placeholder keeps this call free of eth_chainId
      to: tx.to,
      data: tx.data,
      value: tx.value ?? 0n,
      gasLimit,
      nonce: 0,
      ...(fees.type === "eip1559"
        ? { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
        : { gasPrice: fees.gasPrice }),
    }).unsignedSerialized;
    // An explicit `from` keeps Hardhat's sender handler from asking the node for eth_accounts first.
    const oracleCall = {
      from: tx.from ?? ZeroAddress,
      to: OP_GAS_PRICE_ORACLE,
      data: ORACLE.encodeFunctionData("getL1Fee", [unsigned]),
    };
    const result = await call("eth_call", [oracleCall, "latest"]);
    l1DataFee = ORACLE.decodeFunctionResult("getL1Fee", result as string)[0] as bigint;
  }

  const maxFee = fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
  const expectedFee = verdict.neededFeePerGas < maxFee ? verdict.neededFeePerGas : maxFee;
  return {
    gasEstimate,
    gasLimit,
    fees,
    l1DataFee,
    maxCost: gasLimit * maxFee + (l1DataFee ?? 0n),
    expectedCost: gasEstimate * expectedFee + (l1DataFee ?? 0n),
    policy: verdict,
    endpoint: params.answeredBy?.() ?? null,
    requests,
  };
}

interface FeeHistory {
  baseFeePerGas?: string[];
  gasUsedRatio?: number[];
  reward?: string[][];
}

function quoteFromHistory(history: FeeHistory | null, urgent: boolean): FeeQuote | null {
  const baseFees = history?.baseFeePerGas ?? [];
  const next = baseFees.length === 0 ? 0n : BigInt(baseFees[baseFees.length - 1]!);
  if (next === 0n && baseFees.every((fee) => BigInt(fee) === 0n)) return null; // no EIP-1559 here
  // Empty blocks report a zero tip that nobody paid: learn only from blocks that had transactions.
  // A block with room to spare included everyone who paid the base fee: what its few payers
  // offered on top (a presigned deployment's 100 gwei, say, or our own earlier bids) says nothing
  // about what it takes to get in, so such a block teaches at most the fallback tip. Only blocks
  // filled past the base fee's target (where bidders compete) teach their tip as it is.
  const column = urgent ? 1 : 0;
  const tips = (history?.reward ?? [])
    .map((row, i) => ({ tip: BigInt(row[column] ?? "0x0"), used: history?.gasUsedRatio?.[i] ?? 0 }))
    .filter(({ used }) => used > 0)
    .map(({ tip, used }) => (used > CONGESTED_RATIO || tip < FALLBACK_TIP ? tip : FALLBACK_TIP))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tip = tips.length === 0 ? FALLBACK_TIP : tips[Math.floor(tips.length / 2)]!;
  return { type: "eip1559", nextBaseFee: next, maxPriorityFeePerGas: tip, maxFeePerGas: 2n * next + tip };
}

function decide(fees: FeeQuote, policy: FeePolicy, override: FeeOverride): FeePolicyVerdict {
  const needed = fees.type === "eip1559" ? fees.nextBaseFee + fees.maxPriorityFeePerGas : fees.gasPrice;
  const max = fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
  if (override.urgent === true) return { cap: null, neededFeePerGas: needed, verdict: "urgent" };
  const cap = override.maxFeePerGas ?? policy.maxFeePerGas;
  if (cap === null) return { cap, neededFeePerGas: needed, verdict: "ok" };
  if (needed > cap) return { cap, neededFeePerGas: needed, verdict: "refused" };
  return { cap, neededFeePerGas: needed, verdict: max > cap ? "capped" : "ok" };
}

function firstLine(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "unknown";
}
