import { formatUnits } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Eip1193Provider } from "../rpc/json-rpc.js";
import {
  estimateTransactionCost,
  type TransactionCostEstimate,
  type TransactionToEstimate,
} from "./estimate-transaction-cost.js";
import type { FeeOverride, FeePolicy } from "./resolve-fee-policy.js";

/** How {@link sendJournaled} prices a transaction before anything about it is written or sent. */
export interface FeeStrategy {
  /** The estimate to send `tx` with; throws RS5101 when the policy refuses it, RS5102 when it would revert. */
  plan(step: string, tx: TransactionToEstimate): Promise<TransactionCostEstimate>;
}

export interface CreateFeeStrategyParameters {
  network: string;
  rpc: Eip1193Provider;
  policy: FeePolicy;
  /** `urgent` for emergency pause and instant rollback; `maxFeePerGas` for --max-fee. */
  override?: FeeOverride;
  answeredBy?: () => string | undefined;
}

/**
 * The fee policy of one command: every transaction is estimated with
 * {@link estimateTransactionCost} and refused (before its intent is journaled, so nothing is
 * left behind) when the chain is more expensive than the cap allows.
 *
 * JSON-RPC: those of {@link estimateTransactionCost}, per transaction.
 */
export function createFeeStrategy(params: CreateFeeStrategyParameters): FeeStrategy {
  return {
    async plan(step, tx) {
      const estimate = await estimateTransactionCost({
        rpc: params.rpc,
        tx,
        policy: params.policy,
        override: params.override,
        answeredBy: params.answeredBy,
      });
      if (estimate.policy.verdict === "refused") {
        throw new ReleaseError(ERRORS.GAS.FEE_ABOVE_CAP, {
          step,
          network: params.network,
          needed: formatUnits(estimate.policy.neededFeePerGas, "gwei"),
          cap: formatUnits(estimate.policy.cap ?? 0n, "gwei"),
        });
      }
      return estimate;
    },
  };
}
