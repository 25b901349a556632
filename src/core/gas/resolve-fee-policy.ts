import type { FeePolicyConfig } from "../config/release-config.js";

export interface FeePolicy {
  /** Refuse non-urgent transactions when the fee per gas needed now is above this (wei); none: no cap. */
  maxFeePerGas: bigint | null;
  gasLimitBuffer: number;
  tipPercentile: number;
  feeHistoryBlocks: number;
}

/** What a caller may change for one run: `urgent` lifts the cap, `maxFeePerGas` replaces it. */
export interface FeeOverride {
  /** Emergency pause and instant rollback: always sent, whatever the fees. */
  urgent?: boolean;
  /** --max-fee: the cap for this run (wei). */
  maxFeePerGas?: bigint;
}

/**
 * The defaults: a 20% gas-limit buffer (estimates are exact for the state they ran on; the state a
 * transaction meets can differ a little, and an out-of-gas failure still costs the gas), the median
 * tip of the last 10 blocks, and no cap unless the network sets one.
 */
export const DEFAULT_FEE_POLICY: FeePolicy = {
  maxFeePerGas: null,
  gasLimitBuffer: 20,
  tipPercentile: 50,
  feeHistoryBlocks: 10,
};

/** A network's fee policy: its `release.networks.<name>.fees`, with defaults for what it leaves out. */
export function resolveFeePolicy(config: FeePolicyConfig | undefined): FeePolicy {
  return {
    maxFeePerGas: config?.maxFeePerGas ?? DEFAULT_FEE_POLICY.maxFeePerGas,
    gasLimitBuffer: config?.gasLimitBuffer ?? DEFAULT_FEE_POLICY.gasLimitBuffer,
    tipPercentile: config?.tipPercentile ?? DEFAULT_FEE_POLICY.tipPercentile,
    feeHistoryBlocks: config?.feeHistoryBlocks ?? DEFAULT_FEE_POLICY.feeHistoryBlocks,
  };
}
