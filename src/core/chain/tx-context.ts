import type { Provider, Signer } from "ethers";

import type { EventSink } from "../events.js";
import type { FeeStrategy } from "../gas/create-fee-strategy.js";
import type { RecordsStore } from "../records/records-store.js";

/** What every function that sends transactions needs; built once per command by the task. */
export interface TxContext {
  provider: Provider;
  signer: Signer;
  records: RecordsStore;
  onEvent: EventSink;
  now: () => Date;
  /**
   * Prices every transaction (gas limit + fees) and applies the network's fee policy before its
   * intent is journaled; without it the signer fills gas and fees itself.
   */
  fees?: FeeStrategy;
  /** Blocks a transaction must have (its own included) before it counts as done; 1 by default. */
  confirmations?: number;
}
