import { Interface, isError, type TransactionReceipt } from "ethers";

import { sendJournaled } from "../chain/send-journaled.js";
import { settleJournal } from "../chain/settle-journal.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { gateReview } from "../review/gate-review.js";
import { reviewProposal, type ReviewReport } from "../review/review-proposal.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";
import { hashSafeTx } from "../safe/safe-tx.js";
import type { Address, Hex } from "../types.js";
import { completePhase, type ExecutedPhase } from "./complete-phase.js";
import { followChain } from "./follow-chain.js";
import { prepareExecution } from "./prepare-execution.js";
import type { ProposalContext } from "./proposal-context.js";
import type { Acknowledgement, ProposalRecord } from "./proposal-record.js";
import { withProposals } from "./with-proposals.js";
import { readStackState } from "../governance/inspect-stack.js";
import type { StackRecord } from "../records/stack-record.js";

export interface ExecuteProposalParameters {
  ctx: ProposalContext;
  tx: TxContext;
  proposal: string;
  /** Emergency (pause, instant rollback): the fee policy's cap does not apply. */
  urgent?: boolean;
  /**
   * Codes of warning-level red flags the executor accepts (recorded in the proposal file);
   * "all-warnings" for the rehearsal, which reports them instead. Dangers are never accepted.
   */
  acknowledge?: string[] | "all-warnings";
}

export interface ExecuteProposalResult {
  proposal: ProposalRecord;
  phase: string;
  txHash: Hex;
  /** Null when the phase was found executed on chain rather than sent by this run. */
  gasUsed: bigint | null;
  /** For a schedule phase: when the execute phase may run (Unix seconds). */
  eta: number | null;
  /** True when this run found the phase already executed (by an earlier run or outside) and recorded it. */
  followed: boolean;
  /** The warnings accepted for this execution. */
  acknowledged: Acknowledgement[];
}

function warningCodes(report: ReviewReport): string[] {
  return report.redFlags.filter((f) => f.severity === "warning").map((f) => f.code);
}

/**
 * Executes the proposal's current phase. First the records follow the chain (an earlier run that
 * died after sending, or an owner who executed in the Safe app, are recorded, not repeated). Then
 * the file (see checkProposal), the Safe's nonce (RS3007 used, RS3008 earlier ones first), the
 * signatures against the on-chain threshold (RS3006), the timelock state (RS3009 before the ETA,
 * RS3010 cancelled, RS3011 done), the review's red flags (RS3026 a danger, RS3027 a warning not
 * acknowledged), a simulation on current state (RS3012), and only then it sends, journaled. A
 * send whose fate is unclear is looked up on chain before anything is called unsent.
 *
 * JSON-RPC: those of withProposals (readStackState in its first round trip), of prepareExecution,
 * then eth_call (execTransaction simulation) together with reviewProposal's; then those of
 * sendJournaled.
 */
export async function executeProposal(params: ExecuteProposalParameters): Promise<ExecuteProposalResult> {
  const { ctx } = params;
  const prefetch = (recorded: StackRecord) => readStackState(ctx.provider, recorded);
  return withProposals(
    ctx,
    async ({ history, followed, stack, chainId, prefetched }) => {
      await settleJournal(params.tx);
      const done = followed.find((f) => f.proposal === params.proposal && f.what === "executed");
      if (done !== undefined) return followedResult(ctx, params.proposal, done.phase, done.txHash);

      const state = await prefetched.catch(() => undefined); // its failure is the review's to report
      const prepared = await prepareExecution(ctx, params.proposal, { stack, chainId, state });
      const { proposal, phase, data } = prepared;
      const from = (await params.tx.signer.getAddress()) as Address;
      // The simulation and the review are read together; a failing simulation is reported first.
      const [simulation, reviewed] = await Promise.all([
        ctx.provider.call({ from, to: proposal.safe.address, data }).then(
          () => undefined,
          (error: unknown) => ({ error }),
        ),
        prefetched
          .then((state) => reviewProposal({ ...ctx, proposal: proposal.id, history, stack, state }))
          .then(
            (report) => ({ report }),
            (error: unknown) => ({ error }),
          ),
      ]);
      if (simulation !== undefined) {
        throw new ReleaseError(
          ERRORS.PROPOSAL.SIMULATION_FAILED,
          { proposal: proposal.id, reason: await explainFailure(ctx, proposal, simulation.error) },
          simulation.error as Error,
        );
      }
      if ("error" in reviewed) throw reviewed.error;
      const { report } = reviewed;
      const acknowledgements = gateReview({
        report,
        command: "execute",
        acknowledge: params.acknowledge === "all-warnings" ? warningCodes(report) : (params.acknowledge ?? []),
        by: from,
        now: ctx.now(),
      });
      if (acknowledgements.length > 0) {
        phase.acknowledgements = [...(phase.acknowledgements ?? []), ...acknowledgements];
        await ctx.records.writeProposal(proposal);
      }
      let receipt: TransactionReceipt;
      try {
        receipt = await sendJournaled(params.tx, `proposal:${proposal.id}:${phase.name}`, {
          to: proposal.safe.address,
          data,
        });
      } catch (error) {
        if (!ReleaseError.is(error)) throw error;
        // Called unsent only after the chain says so: the Safe may have executed it all the same.
        const after = await followChain(ctx, prepared.stack, prepared.chainId);
        const mined = after.followed.find((f) => f.proposal === proposal.id && f.what === "executed");
        if (mined !== undefined) return followedResult(ctx, proposal.id, mined.phase, mined.txHash);
        throw error;
      }
      return { ...(await recordExecution(ctx, prepared, receipt)), acknowledged: acknowledgements };
    },
    prefetch,
  );
}

async function followedResult(
  ctx: ProposalContext,
  id: string,
  phase: string,
  txHash: Hex,
): Promise<ExecuteProposalResult> {
  const proposal = (await ctx.records.readProposal(id))!;
  return {
    proposal,
    phase,
    txHash,
    gasUsed: null,
    eta: proposal.timelock?.eta ?? null,
    followed: true,
    acknowledged: [],
  };
}

/**
 * Records a mined execution: only after the Safe's own ExecutionSuccess event for this safeTxHash
 * (RS3024 otherwise), and with the effects read back from the chain rather than from the file.
 */
async function recordExecution(
  ctx: ProposalContext,
  executed: ExecutedPhase,
  receipt: TransactionReceipt,
): Promise<Omit<ExecuteProposalResult, "acknowledged">> {
  const { proposal, phase, chainId } = executed;
  const { safeTxHash } = hashSafeTx(chainId, proposal.safe.address, phase.safeTx);
  const safe = new Interface(loadSafeArtifact("safeSingletonAddress").abi as never);
  const succeeded = receipt.logs.some((log) => {
    if (log.address !== proposal.safe.address) return false;
    const parsed = safe.parseLog({ topics: [...log.topics], data: log.data });
    return parsed?.name === "ExecutionSuccess" && parsed.args[0] === safeTxHash;
  });
  if (!succeeded) {
    throw new ReleaseError(ERRORS.PROPOSAL.EXECUTION_FAILED, { proposal: proposal.id, hash: receipt.hash, safeTxHash });
  }
  const txHash = receipt.hash as Hex;
  const { eta } = await completePhase(ctx, executed, { txHash, block: receipt.blockNumber, outside: false }, true);
  return { proposal, phase: phase.name, txHash, gasUsed: receipt.gasUsed, eta, followed: false };
}

/** The Safe only says "GS013" when the inner call fails: replay the inner call as the Safe to name the reason. */
async function explainFailure(ctx: ProposalContext, proposal: ProposalRecord, error: unknown): Promise<string> {
  const phase = proposal.phases.find((p) => p.executed === null)!;
  const message = isError(error, "CALL_EXCEPTION") ? (error.reason ?? error.shortMessage) : (error as Error).message;
  if (phase.safeTx === null || phase.safeTx.operation !== 0) return message;
  try {
    await ctx.provider.call({
      from: proposal.safe.address,
      to: phase.safeTx.to,
      data: phase.safeTx.data,
      value: BigInt(phase.safeTx.value),
    });
    return message;
  } catch (inner) {
    const data = (inner as { data?: string }).data;
    const abis = [TIMELOCK_ERRORS, ...(await knownErrorAbis(ctx, proposal))];
    for (const abi of abis) {
      try {
        const parsed = abi.parseError(data ?? "0x");
        if (parsed !== null) return `${message}; the inner call reverts with ${parsed.name}(${parsed.args.join(", ")})`;
      } catch {
        // try the next ABI
      }
    }
    return `${message}; the inner call reverts (${data ?? "no data"})`;
  }
}

const TIMELOCK_ERRORS = new Interface([
  "error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)",
  "error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)",
  "error TimelockUnexecutedPredecessor(bytes32 predecessorId)",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
]);

async function knownErrorAbis(ctx: ProposalContext, proposal: ProposalRecord): Promise<Interface[]> {
  const names = [proposal.implementation?.contract, proposal.actions[0]?.contract].filter(
    (n): n is string => n !== undefined,
  );
  const artifacts = await Promise.all(names.map((n) => ctx.artifacts.read(n)));
  return artifacts.filter((a) => a !== undefined).map((a) => new Interface(a.abi as never));
}
