import type { ProposalContext } from "../proposals/proposal-context.js";
import { withProposals } from "../proposals/with-proposals.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import { inspectStack, type StackStatus } from "./inspect-stack.js";

export interface ReadStackStatusParameters extends ProposalContext {
  /** When given, code drift against the compiled artifacts is reported too. */
  compiled?: CompiledCodeSource;
}

/**
 * The stack of a network as the chain has it, compared with its records and proposals (`release
 * status`): the records first follow the chain (see withProposals), then every finding is read.
 * Sends nothing.
 *
 * JSON-RPC: those of withProposals, then those of {@link inspectStack}.
 */
export async function readStackStatus(params: ReadStackStatusParameters): Promise<StackStatus> {
  return withProposals(params, async ({ stack, history }) =>
    inspectStack({
      provider: params.provider,
      stack,
      history,
      proposals: await params.records.listProposals(),
      artifacts: params.artifacts,
      compiled: params.compiled,
    }),
  );
}
