import type { Provider } from "ethers";

import { readRecordedStack } from "../records/read-recorded-stack.js";
import type { RecordsStore } from "../records/records-store.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import { inspectStack, type StackStatus } from "./inspect-stack.js";

/**
 * The stack of a network as the chain has it, compared with its records (`release status`).
 * Read-only: takes no lock and sends nothing.
 *
 * JSON-RPC: eth_chainId, then those of {@link inspectStack}.
 */
export async function readStackStatus(
  provider: Provider,
  records: RecordsStore,
  network: string,
  /** When given, code drift against the compiled artifacts is reported too. */
  compiled?: CompiledCodeSource,
): Promise<StackStatus> {
  const stack = await readRecordedStack(provider, records, network);
  return inspectStack(provider, stack, [], compiled);
}
