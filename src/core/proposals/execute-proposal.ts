import { Interface, isError } from "ethers";

import { sendJournaled } from "../chain/send-journaled.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import type { Hex, StackRecord } from "../records/stack-record.js";
import { newSafeTx } from "../safe/safe-tx.js";
import { prepareExecution } from "./prepare-execution.js";
import { draftPhase, nextSafeNonce, type ProposalContext } from "./proposal-context.js";
import type { ProposalRecord, ProposalStatus } from "./proposal-record.js";
import { encodeExecute } from "./timelock-operation.js";

export interface ExecuteProposalParameters {
  ctx: ProposalContext;
  tx: TxContext;
  proposal: string;
  /** Emergency (pause, instant rollback): the fee policy's cap does not apply. */
  urgent?: boolean;
}

export interface ExecuteProposalResult {
  proposal: ProposalRecord;
  phase: string;
  txHash: Hex;
  gasUsed: bigint;
  /** For a schedule phase: when the execute phase may run (Unix seconds). */
  eta: number | null;
}

/**
 * Executes the proposal's current phase: checks the file (see checkProposal), the Safe's nonce
 * (RS3007 used, RS3008 earlier ones first), the signatures against the on-chain threshold
 * (RS3006), the timelock state (RS3009 before the ETA, RS3010 cancelled, RS3011 done), simulates
 * the execution on current state (RS3012), and only then sends, journaled. Then it records the
 * result: the ETA and the execute phase after scheduling; the new implementation in stack.json
 * after an upgrade or rollback; the cancelled proposal after a cancel.
 *
 * JSON-RPC: eth_call (nonce, owners, threshold, timelock state, execTransaction simulation),
 * eth_getBlockByNumber, then those of sendJournaled.
 */
export async function executeProposal(params: ExecuteProposalParameters): Promise<ExecuteProposalResult> {
  const { ctx } = params;
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const { stack, chainId, proposal, phase, data } = await prepareExecution(ctx, params.proposal);
    const from = await params.tx.signer.getAddress();
    try {
      await ctx.provider.call({ from, to: proposal.safe.address, data });
    } catch (error) {
      throw new ReleaseError(
        ERRORS.PROPOSAL.SIMULATION_FAILED,
        { proposal: proposal.id, reason: await explainFailure(ctx, proposal, error) },
        error as Error,
      );
    }

    const receipt = await sendJournaled(params.tx, `proposal:${proposal.id}:${phase.name}`, {
      to: proposal.safe.address,
      data,
    });
    const block = await ctx.provider.getBlock(receipt.blockNumber);
    const timestamp = block?.timestamp ?? 0;
    phase.executed = { txHash: receipt.hash as Hex, block: receipt.blockNumber, timestamp };

    let eta: number | null = null;
    const at = ctx.now().toISOString();
    const setStatus = (status: ProposalStatus) => {
      proposal.status = status;
      proposal.history.push({ status, at, txHash: receipt.hash as Hex });
    };
    if (phase.name === "schedule" && proposal.timelock !== undefined) {
      eta = timestamp + proposal.timelock.operation.delay;
      proposal.timelock.eta = eta;
      const execute = newSafeTx({
        to: stack.timelock.address,
        data: encodeExecute(proposal.timelock.operation),
        nonce: await nextSafeNonce(ctx, proposal.safe.address),
      });
      proposal.phases[1] = draftPhase("execute", chainId, proposal.safe.address, execute);
      setStatus("scheduled");
    } else {
      setStatus("executed");
      await applyToRecords(ctx, proposal, stack);
    }
    await ctx.records.writeProposal(proposal);
    return { proposal, phase: phase.name, txHash: receipt.hash as Hex, gasUsed: receipt.gasUsed, eta };
  } finally {
    await release();
  }
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

/** Brings stack.json up to date with what the executed proposal changed on chain. */
async function applyToRecords(ctx: ProposalContext, proposal: ProposalRecord, stack: StackRecord): Promise<void> {
  if (proposal.kind === "cancel" && proposal.cancels !== undefined) {
    const cancelled = await ctx.records.readProposal(proposal.cancels.proposal);
    if (cancelled !== undefined) {
      cancelled.status = "cancelled";
      cancelled.history.push({ status: "cancelled", at: ctx.now().toISOString() });
      await ctx.records.writeProposal(cancelled);
    }
    return;
  }
  const impl = proposal.implementation;
  if (impl === undefined || proposal.proxy === undefined) return;
  const record = stack.proxies[proposal.proxy.name];
  if (record === undefined) return;
  record.implementation = impl.to;
  record.contract = impl.contract;
  record.history.push({
    address: impl.to,
    contract: impl.contract,
    bytecodeHash: impl.bytecodeHash,
    reason: proposal.kind === "upgrade" ? "upgrade" : "rollback",
  });
  await ctx.records.writeStack(stack);
}
