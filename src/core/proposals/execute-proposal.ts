import { getAddress, Interface, isError, type TransactionReceipt } from "ethers";

import { sendJournaled } from "../chain/send-journaled.js";
import { settleJournal } from "../chain/settle-journal.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import { IMPLEMENTATION_SLOT } from "../governance/roles.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";
import { hashSafeTx, newSafeTx, type SafeTx } from "../safe/safe-tx.js";
import { prepareExecution } from "./prepare-execution.js";
import { draftPhase, loadStack, nextSafeNonce, type ProposalContext } from "./proposal-context.js";
import type { ProposalPhase, ProposalRecord, ProposalStatus } from "./proposal-record.js";
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
    // A run that died after sending leaves the journal ahead of the proposal file. Settle it first
    // (RS7005 while a transaction is still pending); when this phase's transaction was mined,
    // finish recording it instead of refusing its now-used nonce forever.
    await settleJournal(params.tx);
    const recovered = await findMinedPhase(ctx, params.proposal);
    if (recovered !== undefined) return await recordExecution(ctx, recovered, recovered.receipt);

    const prepared = await prepareExecution(ctx, params.proposal);
    const { proposal, phase, data } = prepared;
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
    const receipt = await sendJournaled(params.tx, stepName(proposal.id, phase.name), {
      to: proposal.safe.address,
      data,
    });
    return await recordExecution(ctx, prepared, receipt);
  } finally {
    await release();
  }
}

const stepName = (proposal: string, phase: string) => `proposal:${proposal}:${phase}`;

interface Executable {
  stack: StackRecord;
  chainId: number;
  proposal: ProposalRecord;
  phase: ProposalPhase & { safeTx: SafeTx };
}

/** The current phase's transaction, when the journal shows it mined but the file does not know yet. */
async function findMinedPhase(
  ctx: ProposalContext,
  id: string,
): Promise<(Executable & { receipt: TransactionReceipt }) | undefined> {
  const proposal = await ctx.records.readProposal(id);
  const phase = proposal?.phases.find((p) => p.executed === null);
  if (proposal === undefined || phase?.safeTx == null) return undefined;
  const entry = (await ctx.records.readJournal()).findLast(
    (e) => e.type === "mined" && e.status === "success" && e.step === stepName(id, phase.name),
  );
  if (entry?.type !== "mined") return undefined;
  const receipt = await ctx.provider.getTransactionReceipt(entry.hash);
  if (receipt === null) return undefined;
  const { stack, chainId } = await loadStack(ctx);
  return { stack, chainId, proposal, phase: phase as Executable["phase"], receipt };
}

/**
 * Records a mined execution: only after the Safe's own ExecutionSuccess event for this safeTxHash
 * (RS3024 otherwise), and with the effects read back from the chain rather than from the file.
 */
async function recordExecution(
  ctx: ProposalContext,
  { stack, chainId, proposal, phase }: Executable,
  receipt: TransactionReceipt,
): Promise<ExecuteProposalResult> {
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

/**
 * Brings the records up to date with what the executed proposal changed, as the chain shows it:
 * the implementation is read from the proxy's ERC-1967 slot, and a cancelled proposal is found by
 * the operation id the cancel actually sent, not by a name in the file.
 */
async function applyToRecords(ctx: ProposalContext, proposal: ProposalRecord, stack: StackRecord): Promise<void> {
  if (proposal.kind === "cancel" && proposal.cancels !== undefined) {
    const id = proposal.cancels.operationId;
    for (const cancelled of await ctx.records.listProposals()) {
      if (cancelled.timelock?.id !== id || cancelled.status === "executed") continue;
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
  const slot = await ctx.provider.getStorage(record.address, IMPLEMENTATION_SLOT);
  const onChain = getAddress(`0x${slot.slice(-40)}`) as Address;
  if (onChain !== impl.to) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNEXPECTED_OUTCOME, {
      proposal: proposal.id,
      proxy: proposal.proxy.name,
      expected: impl.to,
      actual: onChain,
    });
  }
  record.implementation = onChain;
  record.contract = impl.contract;
  record.history.push({
    address: onChain,
    contract: impl.contract,
    bytecodeHash: impl.bytecodeHash,
    reason: proposal.kind === "upgrade" ? "upgrade" : "rollback",
  });
  await ctx.records.writeStack(stack);
}
