import type { Provider } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { RecordsStore } from "../records/records-store.js";
import type { StackRecord } from "../records/stack-record.js";
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
  const stack = await records.readStack();
  if (stack?.timelock === undefined || stack.safes.owners === undefined || stack.safes.guardian === undefined) {
    throw new ReleaseError(ERRORS.RECORDS.NOT_FOUND, { network, dir: records.dir });
  }
  const chainId = Number((await provider.getNetwork()).chainId);
  if (chainId !== stack.chainId) {
    throw new ReleaseError(ERRORS.RPC.CHAIN_ID_MISMATCH, { network, actual: chainId, expected: stack.chainId });
  }
  return inspectStack(provider, stack as StackRecord, [], compiled);
}
