import type { Provider, Signer, TransactionReceipt } from "ethers";

import type { Address, Hex } from "../records/stack-record.js";

/**
 * A forked chain, as the rehearsal needs it; the plugin builds it from a Hardhat fork connection.
 * The fork runs with the upstream chainId, so signatures collected for the live chain verify on it
 * exactly as they will there.
 */
export interface ForkHandle {
  provider: Provider;
  /** A funded account that sends the Safe executions (any account may execute a signed Safe tx). */
  executor: Signer;
  /** Sends a transaction as `from` (impersonated and funded on the fork only). */
  sendAs(from: Address, to: Address, data: Hex): Promise<TransactionReceipt>;
  /** Makes the fork's next block carry at least this timestamp (the timelock's clock). */
  timeTravel(timestamp: number): Promise<void>;
  /** The upstream block the fork starts from. */
  blockNumber: number;
  chainId: number;
  /** Where the fork points, redacted for reports (RPC URLs carry API keys). */
  source: string;
}
