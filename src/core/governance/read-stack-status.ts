import type { ProposalContext } from "../proposals/proposal-context.js";
import type { StackRecord } from "../records/stack-record.js";
import { withProposals } from "../proposals/with-proposals.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import { queueFindings } from "../service/queue-findings.js";
import { readServiceQueue } from "../service/read-service-queue.js";
import type { TransactionService } from "../service/transaction-service.js";
import { inspectStack, readStackState, type StackStatus } from "./inspect-stack.js";

export interface ReadStackStatusParameters extends ProposalContext {
  /** When given, code drift against the compiled artifacts is reported too. */
  compiled?: CompiledCodeSource;
  /** When given, the Safes' queue in the Transaction Service is read and checked too. */
  service?: TransactionService;
}

/**
 * The stack of a network as the chain has it, compared with its records and proposals (`release
 * status`): the records first follow the chain (see withProposals), then every finding is read.
 * Sends nothing.
 *
 * JSON-RPC: those of withProposals, with readStackState's in its first round trip, then those left
 * of {@link inspectStack}.
 */
export async function readStackStatus(params: ReadStackStatusParameters): Promise<StackStatus> {
  const prefetch = (recorded: StackRecord) => readStackState(params.provider, recorded);
  return withProposals(
    params,
    async ({ stack, history, chainId, prefetched }) => {
      const proposals = await params.records.listProposals();
      const status = await inspectStack({
        provider: params.provider,
        stack,
        history,
        state: await prefetched,
        proposals,
        artifacts: params.artifacts,
        compiled: params.compiled,
      });
      if (params.service === undefined) return status;
      const queue = await readServiceQueue({
        provider: params.provider,
        service: params.service,
        stack,
        chainId,
        proposals,
        artifacts: params.artifacts,
      });
      const findings = [...status.findings, ...queueFindings(queue)];
      return { ...status, queue, findings, ok: findings.length === 0 };
    },
    prefetch,
  );
}
