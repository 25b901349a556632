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
import { snapshotState, type ProxyToSnapshot, type StateSnapshot } from "./snapshot-state.js";

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
  /** Warning-level red flags the review found (a person would have to acknowledge them). */
  warnings: string[];
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
 * Plays proposals on a fork of the live chain with the real Safes, timelock and proxy:
 * the signatures already collected are checked as the chain will check them; missing ones are
 * supplied by impersonated owners through approveHash (and reported as such); timelock delays are
 * skipped by moving the fork's clock to the ETA. After each proposal it asserts the outcome and
 * runs the project's own checks. Phases of several proposals interleave in the order their Safes'
 * nonces and timelock delays allow (see nextPhase), and each phase passes the same review gate as
 * `release execute` first: a danger fails the proposal. Nothing touches the live chain or the live
 * records.
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

  const runs = new Map<string, ProposalRun>();
  for (const id of params.proposals) runs.set(id, { id, steps: [], failed: false, before: null, touched: [] });
  for (let next = await nextPhase(params, runs); next !== undefined; next = await nextPhase(params, runs)) {
    await playPhase(params, ctx, tx, next, events);
    const proposal = (await forkRecords.readProposal(next.run.id))!;
    // Judged the moment it is done, before later proposals change the state it left.
    if (next.run.failed || proposal.phases.every((p) => p.executed !== null)) {
      next.run.result = await finish(params, next.run);
    }
  }
  const results: ProposalRehearsal[] = [];
  for (const id of params.proposals) {
    const run = runs.get(id)!;
    results.push(run.result ?? (await finish(params, run)));
  }
  return {
    network,
    chainId: fork.chainId,
    fork: { source: fork.source, blockNumber: fork.blockNumber },
    proposals: results,
    ok: results.every((r) => r.ok),
  };
}

/** One proposal's rehearsal while its phases are played among the others'. */
interface ProposalRun {
  id: string;
  steps: RehearsalStep[];
  failed: boolean;
  /** State of the proxies it touches, just before its latest phase. */
  before: StateSnapshot | null;
  touched: string[];
  result?: ProposalRehearsal;
}

interface NextPhase {
  run: ProposalRun;
  proposal: ProposalRecord;
  /** Set when the fork's clock must move to the timelock ETA first. */
  eta: number | null;
}

/**
 * The phase to play next, as the Safes will run them for real: the one whose nonce is its Safe's
 * current nonce, executable now rather than after a timelock delay (the delay is skipped only when
 * nothing else can run first). When no phase has its Safe's nonce, the lowest is played and fails
 * with the nonce's own error (RS3007, RS3008), which is what would happen on chain.
 */
async function nextPhase(
  params: RehearseProposalsParameters,
  runs: Map<string, ProposalRun>,
): Promise<NextPhase | undefined> {
  const { fork } = params;
  const now = (await fork.provider.getBlock("latest"))?.timestamp ?? 0;
  const candidates: Array<NextPhase & { nonce: number; current: boolean; order: number }> = [];
  let order = 0;
  for (const run of runs.values()) {
    order++;
    if (run.failed || run.result !== undefined) continue;
    const proposal = (await params.forkRecords.readProposal(run.id))!;
    const phase = proposal.phases.find((p) => p.executed === null);
    if (phase === undefined || proposal.status === "cancelled") continue;
    const nonce = phase.safeTx?.nonce ?? Number.MAX_SAFE_INTEGER;
    const safeNonce = Number((await safeContract(proposal.safe.address, fork.provider).nonce!()) as bigint);
    const eta = phase.name === "execute" ? (proposal.timelock?.eta ?? null) : null;
    candidates.push({
      run,
      proposal,
      eta: eta !== null && eta > now ? eta : null,
      nonce,
      current: nonce === safeNonce,
      order,
    });
  }
  const rank = (c: (typeof candidates)[number]) => [c.current ? 0 : 1, c.eta ?? 0, c.nonce, c.order];
  candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  return candidates[0];
}

async function playPhase(
  params: RehearseProposalsParameters,
  ctx: ProposalContext,
  tx: TxContext,
  { run, proposal, eta }: NextPhase,
  decodeEvents: (logs: readonly Log[]) => string[],
): Promise<void> {
  const { fork, forkRecords } = params;
  const phase = proposal.phases.find((p) => p.executed === null)!;
  // "Before" is the state right before the phase that acts (a schedule changes nothing on the
  // proxies): other proposals' phases may run in between.
  const stackNow = (await forkRecords.readStack()) as StackRecord;
  run.touched = Object.entries(stackNow.proxies)
    .filter(([name, p]) => proposal.proxy?.name === name || proposal.actions.some((a) => a.target === p.address))
    .map(([name]) => name);
  run.before = await snapshotState(fork.provider, stackNow, await proxiesOf(params, stackNow, run.touched));
  const step: RehearsalStep = {
    phase: phase.name,
    ok: false,
    realSignatures: [],
    impersonatedApprovals: [],
    events: [],
    warnings: [],
  };
  run.steps.push(step);
  try {
    if (eta !== null) {
      await fork.timeTravel(eta);
      step.timeTravelTo = eta;
    }
    const stack = (await forkRecords.readStack()) as StackRecord;
    const checked = await checkProposal(ctx, proposal, stack, fork.chainId);
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
    // executeProposal applies the same review gate as for real: a danger fails the rehearsal (and
    // so the pull request); warnings, which signers would acknowledge, are reported.
    const result = await executeProposal({ ctx, tx, proposal: proposal.id, urgent: true, acknowledge: "all-warnings" });
    step.warnings = result.acknowledged.map((a) => `${a.code} ${a.message}`);
    const receipt = await fork.provider.getTransactionReceipt(result.txHash);
    Object.assign(step, {
      ok: true,
      txHash: result.txHash,
      gasUsed: result.gasUsed?.toString(),
      events: decodeEvents(receipt?.logs ?? []),
    });
  } catch (error) {
    if (!ReleaseError.is(error)) throw error;
    step.error = { code: error.code, message: error.message.split("\nHint:")[0]!.replace(`${error.code}: `, "") };
    run.failed = true;
  }
}

async function proxiesOf(params: RehearseProposalsParameters, stack: StackRecord, touched: string[]) {
  const out: ProxyToSnapshot[] = [];
  for (const name of touched) {
    const record = stack.proxies[name]!;
    const artifact = await params.artifacts.read(record.contract);
    if (artifact !== undefined) out.push({ name, address: record.address, artifact });
  }
  return out;
}

async function finish(params: RehearseProposalsParameters, run: ProposalRun): Promise<ProposalRehearsal> {
  const { fork, forkRecords } = params;
  const proposal = (await forkRecords.readProposal(run.id))!;
  const stackAfter = (await forkRecords.readStack()) as StackRecord;
  // Each side is read through the ABI of the code it runs: a getter only one version has is not state.
  const after = await snapshotState(fork.provider, stackAfter, await proxiesOf(params, stackAfter, run.touched));
  const before = run.before ?? after;
  const stepsOk = run.steps.length > 0 && run.steps.every((s) => s.ok);
  const assertions = stepsOk ? await assertOutcome(params, proposal, stackAfter, before, after) : [];
  return {
    id: run.id,
    kind: proposal.kind,
    description: proposal.description,
    calls: proposal.actions.map((a) => `${a.contract}.${a.method.split("(")[0]}(${a.args.join(", ")}) at ${a.target}`),
    steps: run.steps,
    assertions,
    diff: diffStates(before, after),
    ok: stepsOk && assertions.every((a) => a.ok),
  };
}
