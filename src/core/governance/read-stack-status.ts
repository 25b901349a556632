import type { Provider } from "ethers";

import { readRecordedStack } from "../records/read-recorded-stack.js";
import type { RecordsStore } from "../records/records-store.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import type { ArtifactSource } from "./artifacts.js";
import { inspectStack, type StackStatus } from "./inspect-stack.js";

export interface ReadStackStatusParameters {
  provider: Provider;
  records: RecordsStore;
  network: string;
  /** To decode pending timelock operations with the project's ABIs. */
  artifacts?: ArtifactSource;
  /** When given, code drift against the compiled artifacts is reported too. */
  compiled?: CompiledCodeSource;
}

/**
 * The stack of a network as the chain has it, compared with its records and proposals (`release
 * status`). Read-only: takes no lock and sends nothing.
 *
 * JSON-RPC: eth_chainId, then those of {@link inspectStack}.
 */
export async function readStackStatus(params: ReadStackStatusParameters): Promise<StackStatus> {
  const stack = await readRecordedStack(params.provider, params.records, params.network);
  return inspectStack({
    provider: params.provider,
    stack,
    proposals: await params.records.listProposals(),
    artifacts: params.artifacts,
    compiled: params.compiled,
  });
}
