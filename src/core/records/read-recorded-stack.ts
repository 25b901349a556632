import type { Provider } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { RecordsStore } from "./records-store.js";
import type { StackRecord } from "./stack-record.js";

/**
 * The complete stack of a network from its records, after checking that the provider is on the
 * chain they were written for: RS7003 when there is no (complete) stack, RS5001 on another chain.
 *
 * JSON-RPC: eth_chainId.
 */
export async function readRecordedStack(
  provider: Pick<Provider, "getNetwork">,
  records: Pick<RecordsStore, "dir" | "readStack">,
  network: string,
): Promise<StackRecord> {
  const stack = await readStackFile(records, network);
  assertSameChain(stack, Number((await provider.getNetwork()).chainId), network);
  return stack;
}

/** The complete stack of a network from its records alone (RS7003 when there is none); no chain read. */
export async function readStackFile(
  records: Pick<RecordsStore, "dir" | "readStack">,
  network: string,
): Promise<StackRecord> {
  const stack = await records.readStack();
  if (stack?.timelock === undefined || stack.safes.owners === undefined || stack.safes.guardian === undefined) {
    throw new ReleaseError(ERRORS.RECORDS.NOT_FOUND, { network, dir: records.dir });
  }
  return stack as StackRecord;
}

/** RS5001 unless `chainId` (read from the provider) is the chain the records were written for. */
export function assertSameChain(stack: StackRecord, chainId: number, network: string): void {
  if (chainId !== stack.chainId) {
    throw new ReleaseError(ERRORS.RPC.CHAIN_ID_MISMATCH, { network, actual: chainId, expected: stack.chainId });
  }
}
