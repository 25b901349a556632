import { Interface, type Log, type Provider } from "ethers";

import type { TxContext } from "../chain/tx-context.js";
import type { EventSink } from "../events.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { ArtifactSource } from "../governance/artifacts.js";
import { checkProposal } from "../proposals/check-proposal.js";
import { executeProposal } from "../proposals/execute-proposal.js";
import { safeContract, type ProposalContext } from "../proposals/proposal-context.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import type { RecordsStore } from "../records/records-store.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { approvedHashSignature } from "../safe/safe-tx.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import type { ForkHandle } from "./fork-handle.js";
import { assertOutcome, diffStates } from "./assert-outcome.js";
import { eventDecoder } from "./decode-events.js";
import { snapshotState, type ProxyToSnapshot } from "./snapshot-state.js";

/** A project's own check, run against the forked state after each proposal (README, "Rehearsal"). */
export interface PostUpgradeCheck {
  name: string;
  run(context: PostUpgradeCheckContext): Promise<void>;
}

export interface PostUpgradeCheckContext {
  provider: Provider;
  stack: StackRecord;
  proposal: ProposalRecord;
}

export interface RehearsalStep {
  phase: string;
  ok: boolean;
  error?: { code: string; message: string };
  /** Owners whose own signatures were in the proposal file. */
  realSignatures: Address[];
  /** Owners impersonated on the fork (approveHash) to reach the threshold. */
  impersonatedApprovals: Address[];
  /** Set when the fork's clock was moved to the timelock ETA before this step. */
  timeTravelTo?: number;
  txHash?: Hex;
  gasUsed?: string;
  events: string[];
}

export interface RehearsalAssertion {
  name: string;
  ok: boolean;
  expected: string;
  actual: string;
}

export interface ProposalRehearsal {
  id: string;
  kind: string;
  description: string;
  calls: string[];
  steps: RehearsalStep[];
  assertions: RehearsalAssertion[];
  /** What changed on the proxy and around it: each entry before -> after. */
  diff: Array<{ what: string; before: string; after: string }>;
  ok: boolean;
}

export interface RehearsalReport {
  network: string;
  chainId: number;
  fork: { source: string; blockNumber: number };
  proposals: ProposalRehearsal[];
  ok: boolean;
}

export interface RehearseProposalsParameters {
  network: string;
  /** The live network's records: read, never written. */
  liveRecords: RecordsStore;
  /** A scratch store for the fork (a temporary folder). */
  forkRecords: RecordsStore;
  fork: ForkHandle;
  proposals: string[];
  artifacts: ArtifactSource;
  compiledCode: CompiledCodeSource;
  checks: PostUpgradeCheck[];
  onEvent: EventSink;
  now: () => Date;
}

const SAFE_APPROVE = new Interface(["function approveHash(bytes32 hashToApprove)"]);

/**
 * Plays proposals, in order, on a fork of the live chain with the real Safes, timelock and proxy:
 * the signatures already collected are checked as the chain will check them; missing ones are
 * supplied by impersonated owners through approveHash (and reported as such); timelock delays are
 * skipped by moving the fork's clock to the ETA. After each proposal it asserts the outcome and
 * runs the project's own checks. Nothing touches the live chain or the live records.
 *
 * A failing step (a stale nonce, a cancelled operation, a revert) fails that proposal and is
 * reported with its error code; the report's `ok` is false when anything failed.
 */
export async function rehearseProposals(params: RehearseProposalsParameters): Promise<RehearsalReport> {
  const { fork, network, forkRecords } = params;
  const liveStack = await params.liveRecords.readStack();
  if (
    liveStack?.timelock === undefined ||
    liveStack.safes.owners === undefined ||
    liveStack.safes.guardian === undefined
  ) {
    throw new ReleaseError(ERRORS.RECORDS.NOT_FOUND, { network, dir: params.liveRecords.dir });
  }
  if (liveStack.chainId !== fork.chainId) {
    throw new ReleaseError(ERRORS.REHEARSAL.WRONG_CHAIN, {
      source: fork.source,
      actual: fork.chainId,
      expected: liveStack.chainId,
      network,
    });
  }
  const liveProposals = await params.liveRecords.listProposals();
  for (const id of params.proposals) {
    if (!liveProposals.some((p) => p.id === id))
      throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: id, network });
  }
  await forkRecords.writeStack(liveStack);
  for (const proposal of liveProposals) await forkRecords.writeProposal(proposal);

  const ctx: ProposalContext = {
    network,
    provider: fork.provider,
    records: forkRecords,
    artifacts: params.artifacts,
    onEvent: params.onEvent,
    now: params.now,
  };
  const tx: TxContext = {
    provider: fork.provider,
    signer: fork.executor,
    records: forkRecords,
    onEvent: params.onEvent,
    now: params.now,
  };
  const events = await eventDecoder(params.artifacts, liveStack as StackRecord);

  const results: ProposalRehearsal[] = [];
  for (const id of params.proposals) results.push(await rehearseOne(params, ctx, tx, id, events));
  return {
    network,
    chainId: fork.chainId,
    fork: { source: fork.source, blockNumber: fork.blockNumber },
    proposals: results,
    ok: results.every((r) => r.ok),
  };
}

async function rehearseOne(
  params: RehearseProposalsParameters,
  ctx: ProposalContext,
  tx: TxContext,
  id: string,
  decodeEvents: (logs: readonly Log[]) => string[],
): Promise<ProposalRehearsal> {
  const { fork, forkRecords } = params;
  let proposal = (await forkRecords.readProposal(id))!;
  const stackBefore = (await forkRecords.readStack()) as StackRecord;
  // The proxies the proposal acts on: its proxy, or every proxy a (multi-proxy) pause names.
  const touched = Object.entries(stackBefore.proxies)
    .filter(([name, p]) => proposal.proxy?.name === name || proposal.actions.some((a) => a.target === p.address))
    .map(([name]) => name);
  const proxiesOf = async (stack: StackRecord) => {
    const out: ProxyToSnapshot[] = [];
    for (const name of touched) {
      const record = stack.proxies[name]!;
      const artifact = await params.artifacts.read(record.contract);
      if (artifact !== undefined) out.push({ name, address: record.address, artifact });
    }
    return out;
  };
  const before = await snapshotState(fork.provider, stackBefore, await proxiesOf(stackBefore));
  const steps: RehearsalStep[] = [];

  while (proposal.phases.some((p) => p.executed === null)) {
    const phase = proposal.phases.find((p) => p.executed === null)!;
    const step: RehearsalStep = {
      phase: phase.name,
      ok: false,
      realSignatures: [],
      impersonatedApprovals: [],
      events: [],
    };
    steps.push(step);
    try {
      if (phase.name === "execute" && proposal.timelock?.eta != null) {
        const latest = (await fork.provider.getBlock("latest"))?.timestamp ?? 0;
        if (latest < proposal.timelock.eta) {
          await fork.timeTravel(proposal.timelock.eta);
          step.timeTravelTo = proposal.timelock.eta;
        }
      }
      const checked = await checkProposal(ctx, proposal, stackBefore, fork.chainId);
      step.realSignatures = checked.signers;
      // Impersonate nobody for a transaction that cannot run anyway: executeProposal names the nonce problem.
      const safeNonce = Number((await safeContract(proposal.safe.address, fork.provider).nonce!()) as bigint);
      const missing =
        safeNonce !== checked.phase.safeTx.nonce
          ? []
          : checked.owners
              .filter((o) => !checked.signers.includes(o))
              .slice(0, Math.max(0, checked.threshold - checked.signers.length));
      for (const owner of missing) {
        await fork.sendAs(
          owner,
          proposal.safe.address,
          SAFE_APPROVE.encodeFunctionData("approveHash", [checked.hashes.safeTxHash]) as Hex,
        );
        checked.phase.signatures.push({ signer: owner, data: approvedHashSignature(owner), kind: "approved-hash" });
        step.impersonatedApprovals.push(owner);
      }
      await forkRecords.writeProposal(proposal);
      const result = await executeProposal({ ctx, tx, proposal: id, urgent: true });
      const receipt = await fork.provider.getTransactionReceipt(result.txHash);
      Object.assign(step, {
        ok: true,
        txHash: result.txHash,
        gasUsed: result.gasUsed.toString(),
        events: decodeEvents(receipt?.logs ?? []),
      });
    } catch (error) {
      if (!ReleaseError.is(error)) throw error;
      step.error = { code: error.code, message: error.message.split("\nHint:")[0]!.replace(`${error.code}: `, "") };
      break;
    } finally {
      proposal = (await forkRecords.readProposal(id))!;
    }
  }

  const stackAfter = (await forkRecords.readStack()) as StackRecord;
  // Each side is read through the ABI of the code it runs: a getter only one version has is not state.
  const after = await snapshotState(fork.provider, stackAfter, await proxiesOf(stackAfter));
  const stepsOk = steps.length > 0 && steps.every((s) => s.ok);
  const assertions = stepsOk ? await assertOutcome(params, proposal, stackAfter, before, after) : [];
  return {
    id,
    kind: proposal.kind,
    description: proposal.description,
    calls: proposal.actions.map((a) => `${a.contract}.${a.method.split("(")[0]}(${a.args.join(", ")}) at ${a.target}`),
    steps,
    assertions,
    diff: diffStates(before, after),
    ok: stepsOk && assertions.every((a) => a.ok),
  };
}
