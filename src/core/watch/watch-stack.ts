import type { Provider } from "ethers";

import type { WatchConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { inspectStack, type StackStatus } from "../governance/inspect-stack.js";
import { readLogs } from "../history/read-logs.js";
import { stackAddresses } from "../history/read-stack-history.js";
import { decodeStackLog } from "../history/stack-events.js";
import type { ProposalContext } from "../proposals/proposal-context.js";
import { withProposals } from "../proposals/with-proposals.js";
import { readRecordedStack } from "../records/read-recorded-stack.js";
import type { StackRecord } from "../records/stack-record.js";
import { readServiceQueue, type ServiceQueue } from "../service/read-service-queue.js";
import type { TransactionService } from "../service/transaction-service.js";
import type { Address, Hex } from "../types.js";
import { atLeast, raiseAlert, type Alert, type AlertKind, type Severity } from "./alert.js";
import type { AlertSink } from "./alert-sinks.js";
import { classifyEvents } from "./classify-events.js";
import { checkEndpoints, endpointConditions, type EndpointHistory } from "./endpoint-conditions.js";
import { followHead, type HeadStep } from "./follow-head.js";
import { stackConditions, type ConditionContext } from "./stack-conditions.js";
import type { WatchMetrics } from "./watch-metrics.js";
import { freshState, KEPT_HEADERS, readWatchState, writeWatchState, type WatchState } from "./watch-state.js";

export interface WatchStackParameters {
  ctx: ProposalContext;
  config: WatchConfig;
  /** Where the cursor, the open conditions and the undelivered alerts live between runs. */
  stateFile: string;
  /** Check up to the head once and return (cron, CI); otherwise run until `signal` aborts. */
  once: boolean;
  /** Every alert, as it is decided (the terminal, or JSON lines on stdout). */
  onAlert: (alert: Alert) => void;
  /** Files and webhooks; each gets every alert once it is decided, retried until it takes it. */
  sinks: AlertSink[];
  metrics?: WatchMetrics;
  /** The network's Transaction Service: queued transactions no proposal explains are alerts. */
  service?: TransactionService;
  /** Every RPC endpoint of the network, checked for lag, errors and disagreement. */
  endpoints?: { urls: string[]; timeoutMs: number };
  /** With `--respond`: drafts the guardian's answer to a critical alert; returns what it did. */
  respond?: (alert: Alert) => Promise<string | null>;
  signal?: AbortSignal;
}

export interface WatchResult {
  network: string;
  chainId: number;
  /** Blocks whose events were reported in this run. */
  fromBlock: number | null;
  toBlock: number;
  /** Alerts decided in this run (raised, resolved, retracted). */
  alerts: Alert[];
  /** Conditions raised and not resolved when the run ended. */
  open: Alert[];
  /** What --respond drafted. */
  responses: string[];
}

/**
 * `release watch`: follows the chain `confirmations` blocks behind the head and reports what
 * happens to the governed stack (see classifyEvents), keeps the conditions that hold for it
 * (stackConditions, endpointConditions, head age, failure rate) raised until they clear, and
 * hands every alert to the terminal and the sinks. The cursor, the open conditions and the
 * undelivered alerts are saved atomically before anything is delivered, so a watcher killed at
 * any point and restarted reports every alert once (the file sink, exactly once; a webhook may
 * see an alert again only if the watcher died between its delivery and the next save, with the
 * same Idempotency-Key). A reorg deeper than the confirmations retracts the alerts of the dropped
 * blocks. The first run starts at the stack's deploy block.
 *
 * JSON-RPC per poll: eth_getBlockByNumber("latest", true), and eth_getLogs for newly confirmed
 * blocks; a full re-check of the stack (status' reads) when events arrived and every
 * `recheckBlocks`; receipts of transactions to the governed contracts.
 */
export async function watchStack(params: WatchStackParameters): Promise<WatchResult> {
  const { ctx, config } = params;
  const stack = await readRecordedStack(ctx.provider, ctx.records, ctx.network);
  const state = await loadState(params.stateFile, stack);
  const sinkNames = params.sinks.map((s) => s.name);
  const addresses = new Set<string>(stackAddresses(stack).map((a) => a.toLowerCase()));
  const command = (...words: string[]) => `npx hardhat ${words.join(" ")} --network ${ctx.network}`;
  const base = { network: ctx.network, chainId: stack.chainId, config, command, now: ctx.now };
  const run: WatchResult = {
    network: ctx.network,
    chainId: stack.chainId,
    fromBlock: null,
    toBlock: state.cursor,
    alerts: [],
    open: [],
    responses: [],
  };
  let status: StackStatus | undefined;
  let queue: ServiceQueue | undefined;
  let endpointAlerts: Alert[] = [];
  let endpointsCheckedAt = -Infinity;
  const endpointHistory: EndpointHistory = {};
  let lastHead = -1;
  let pace: Pace = { seen: null, blockMs: null };

  await deliver(params, state, run);
  const poll = async () => {
    const decided: Alert[] = [];
    const step = await followHead(ctx.provider, state, config.confirmations);
    if (step.reorgFrom !== null) decided.push(...retract(state, step.reorgFrom, base));

    let recheck = status === undefined || step.head.number - state.lastCheck >= config.recheckBlocks;
    if (step.range !== null) {
      const { logs } = await readLogs({
        provider: ctx.provider,
        addresses: [...addresses] as Address[],
        fromBlock: step.range.from,
        toBlock: step.range.to,
      });
      if (logs.length > 0) {
        // The records follow the chain first, so a proposal executed in the Safe app explains its events.
        const proposals = await withProposals(ctx, () => ctx.records.listProposals());
        const events = logs.map((log) => decodeStackLog(log));
        const senders = await sendersOf(
          ctx.provider,
          events.map((e) => e.transactionHash),
        );
        const alerts = classifyEvents(events, { ...base, stack, proposals, senders });
        decided.push(...alerts);
        state.recent.push(...alerts.map((a) => ({ id: a.id, block: a.block!, kind: a.kind, title: a.title })));
        recheck = true;
      }
      run.fromBlock ??= step.range.from;
      state.cursor = step.range.to;
      state.recent = state.recent.filter((r) => r.block > state.cursor - KEPT_HEADERS);
    }
    run.toBlock = state.cursor;

    if (recheck) {
      const proposals = await withProposals(ctx, () => ctx.records.listProposals());
      status = await inspectStack({ ...ctx, stack, proposals, compiled: ctx.compiled });
      if (params.service !== undefined) {
        const read = await readServiceQueue({
          ...ctx,
          service: params.service,
          stack,
          chainId: stack.chainId,
          proposals,
        });
        // A service that cannot be read now neither raises nor resolves anything.
        if (read.unavailable === null) queue = read;
        else
          ctx.onEvent({
            type: "warning",
            message: `The Transaction Service queue is not readable: ${read.unavailable.message}`,
          });
      }
      state.lastCheck = step.head.number;
    }
    if (params.endpoints !== undefined && performance.now() - endpointsCheckedAt >= config.endpointInterval) {
      const check = await checkEndpoints({
        network: ctx.network,
        urls: params.endpoints.urls,
        chainId: stack.chainId,
        timeoutMs: params.endpoints.timeoutMs,
        maxLagBlocks: config.endpointLag,
      });
      endpointAlerts = endpointConditions(check, endpointHistory, { ...base, block: step.head.number });
      endpointsCheckedAt = performance.now();
      updateEndpointMetrics(params.metrics, check.health.endpoints);
    }
    if (step.head.number !== lastHead) {
      await recordOutcomes(ctx.provider, state, step.head.transactions, addresses, config.failureWindow);
      lastHead = step.head.number;
    }
    pace = nextPace(pace, step.head, Date.now());

    const conditions = [
      ...(status === undefined
        ? []
        : stackConditions(status, queue, { ...base, block: step.head.number, time: step.head.timestamp })),
      ...endpointAlerts,
      ...chainConditions(step, state, { ...base, block: step.head.number }),
    ];
    decided.push(...settleConditions(state, conditions, step.head.number, ctx.now));

    for (const alert of decided) state.outbox.push({ alert, sinks: ["terminal", ...sinkNames] });
    await writeWatchState(params.stateFile, state);
    await deliver(params, state, run);
    for (const alert of decided) params.metrics?.countAlert(alert);
    updateMetrics(params.metrics, state, step, status);

    if (params.respond !== undefined) {
      for (const alert of decided.filter((a) => a.status === "raised" && a.severity === "critical")) {
        const done = await params.respond(alert);
        if (done !== null) run.responses.push(done);
      }
    }
  };
  while (params.signal?.aborted !== true) {
    try {
      await poll();
    } catch (error) {
      // Once: the error is the command's. Running: say so, go back to what was saved, poll again.
      if (params.once) throw error;
      ctx.onEvent({ type: "warning", message: `This poll failed, the next one retries: ${firstLine(error)}` });
      Object.assign(state, await loadState(params.stateFile, stack));
    }
    if (params.once) break;
    await sleep(pollDelay(pace, config.pollInterval, Date.now()), params.signal);
  }
  run.open = Object.values(state.conditions);
  return run;
}

/** The exit the watch should make: the worst severity decided or still open. */
export function worstSeverity(result: WatchResult): Severity | null {
  const raised = [...result.alerts.filter((a) => a.status === "raised"), ...result.open];
  return raised.reduce<Severity | null>(
    (worst, a) => (worst === null || atLeast(a.severity, worst) ? a.severity : worst),
    null,
  );
}

async function loadState(file: string, stack: StackRecord): Promise<WatchState> {
  const state = await readWatchState(file);
  if (state === undefined) return freshState(stack.chainId, Math.max(0, (stack.deployBlock ?? 0) - 1));
  if (state.chainId !== stack.chainId) {
    throw new ReleaseError(ERRORS.RECORDS.CORRUPT, {
      file,
      reason: `it follows chainId ${state.chainId}, but the stack is on ${stack.chainId}; delete it to start over`,
    });
  }
  return state;
}

/** Hands the outbox to the terminal and each sink; what a sink refuses stays for the next round. */
async function deliver(params: WatchStackParameters, state: WatchState, run: WatchResult): Promise<void> {
  if (state.outbox.length === 0) return;
  for (const entry of state.outbox) {
    const remaining: string[] = [];
    for (const name of entry.sinks) {
      if (name === "terminal") {
        params.onAlert(entry.alert);
        run.alerts.push(entry.alert);
        continue;
      }
      const sink = params.sinks.find((s) => s.name === name);
      if (sink === undefined) continue; // a sink of an earlier run that this one was not given
      try {
        await sink.deliver(entry.alert);
      } catch (error) {
        remaining.push(name);
        params.ctx.onEvent({ type: "warning", message: `${name} did not take an alert: ${(error as Error).message}` });
      }
    }
    entry.sinks = remaining;
  }
  state.outbox = state.outbox.filter((e) => e.sinks.length > 0);
  await writeWatchState(params.stateFile, state);
}

/** The alerts of blocks a reorg dropped, retracted (same id and kind, status "retracted"). */
function retract(
  state: WatchState,
  from: number,
  ctx: { network: string; chainId: number; config: WatchConfig; now: () => Date },
): Alert[] {
  const dropped = state.recent.filter((r) => r.block >= from);
  state.recent = state.recent.filter((r) => r.block < from);
  return dropped.map((r) =>
    raiseAlert({ ...ctx, block: r.block }, r.kind as AlertKind, {
      id: r.id,
      status: "retracted",
      title: `${r.title}: no longer on the chain (a reorganisation dropped block ${r.block})`,
    }),
  );
}

/**
 * Raises the conditions that appeared (with an id of their own, so a condition that comes back
 * later is a new alert) and resolves those that are gone.
 */
function settleConditions(state: WatchState, current: Alert[], block: number, now: () => Date): Alert[] {
  const decided: Alert[] = [];
  const present = new Set(current.map((c) => c.id));
  for (const alert of current) {
    if (state.conditions[alert.id] !== undefined) continue;
    const raised = { ...alert, id: `${alert.id}@${block}` };
    state.conditions[alert.id] = raised;
    decided.push(raised);
  }
  for (const [key, alert] of Object.entries(state.conditions)) {
    if (present.has(key)) continue;
    delete state.conditions[key];
    decided.push({ ...alert, status: "resolved", block, at: now().toISOString() });
  }
  return decided;
}

/** Head age and the failure rate of transactions to the governed contracts. */
function chainConditions(step: HeadStep, state: WatchState, ctx: Omit<ConditionContext, "time">): Alert[] {
  const alerts: Alert[] = [];
  const make = (id: string, kind: AlertKind, title: string, action: string | null): Alert =>
    raiseAlert(ctx, kind, { id, title, action });
  const age = Math.floor(ctx.now().getTime() / 1000) - step.head.timestamp;
  if (age > ctx.config.headAge) {
    alerts.push(
      make(
        "head-age",
        "head-age",
        `No new block for ${Math.floor(age / 60)} min (head ${step.head.number}): the chain or the endpoint is stuck`,
        ctx.command("release rpc-health"),
      ),
    );
  }
  const failed = state.outcomes.filter((o) => o === 1).length;
  if (state.outcomes.length > 0 && failed / state.outcomes.length > ctx.config.failureRate) {
    alerts.push(
      make(
        "failure-rate",
        "failure-rate",
        `${failed} of the last ${state.outcomes.length} transactions to the governed contracts failed`,
        null,
      ),
    );
  }
  return alerts;
}

/** Who sent each transaction (one request per transaction with events). */
async function sendersOf(provider: Pick<Provider, "getTransaction">, hashes: Hex[]): Promise<Map<Hex, Address | null>> {
  const senders = new Map<Hex, Address | null>();
  for (const hash of new Set(hashes.map((h) => h.toLowerCase() as Hex))) {
    const tx = await provider.getTransaction(hash);
    senders.set(hash, (tx?.from as Address | undefined) ?? null);
  }
  return senders;
}

/** Receipts of the head's transactions to the governed contracts: the failure-rate window. */
async function recordOutcomes(
  provider: Pick<Provider, "getTransactionReceipt">,
  state: WatchState,
  transactions: HeadStep["head"]["transactions"],
  addresses: Set<string>,
  window: number,
): Promise<void> {
  for (const tx of transactions) {
    if (tx.to === null || !addresses.has(tx.to.toLowerCase())) continue;
    const receipt = await provider.getTransactionReceipt(tx.hash);
    if (receipt !== null) state.outcomes.push(receipt.status === 1 ? 0 : 1);
  }
  state.outcomes = state.outcomes.slice(-window);
}

function updateMetrics(metrics: WatchMetrics | undefined, state: WatchState, step: HeadStep, status?: StackStatus) {
  if (metrics === undefined) return;
  metrics.headBlock.set(step.head.number);
  metrics.headAge.set(Math.max(0, Math.floor(Date.now() / 1000) - step.head.timestamp));
  metrics.confirmedBlock.set(state.cursor);
  const failed = state.outcomes.filter((o) => o === 1).length;
  metrics.failureRatio.set(state.outcomes.length === 0 ? 0 : failed / state.outcomes.length);
  metrics.activeConditions.reset();
  for (const alert of Object.values(state.conditions)) metrics.activeConditions.inc({ severity: alert.severity });
  if (status !== undefined) {
    metrics.pendingOperations.set(status.operations.length);
    metrics.operationEta.reset();
    for (const op of status.operations) {
      if (op.eta !== null) metrics.operationEta.set({ operation: op.id, proposal: op.explainedBy ?? "none" }, op.eta);
    }
    const drifted = new Set(status.findings.map((f) => f.subject));
    for (const proxy of status.proxies) {
      const bad = [...drifted].some((s) => s.startsWith(proxy.name) || s.includes(proxy.address));
      metrics.implementationMatch.set({ proxy: proxy.name }, bad ? 0 : 1);
    }
  }
}

function updateEndpointMetrics(
  metrics: WatchMetrics | undefined,
  endpoints: Array<{ url: string; state: string; lag: number | null }>,
) {
  if (metrics === undefined) return;
  for (const e of endpoints) {
    metrics.endpointUp.set({ endpoint: e.url }, e.state === "ok" || e.state === "lagging" ? 1 : 0);
    if (e.lag !== null) metrics.endpointLag.set({ endpoint: e.url }, e.lag);
  }
}

/**
 * The chain's rhythm: the newest block, when this watcher first saw it (its clock, not the
 * block's timestamp, which has a one-second grain and may run ahead), and the time between blocks
 * by their timestamps.
 */
interface Pace {
  seen: { number: number; timestamp: number; at: number } | null;
  blockMs: number | null;
}

function nextPace(pace: Pace, head: { number: number; timestamp: number }, now: number): Pace {
  const seen = pace.seen;
  if (seen !== null && head.number <= seen.number) return pace;
  const current = { number: head.number, timestamp: head.timestamp, at: now };
  if (seen === null) return { seen: current, blockMs: null };
  const sample = ((head.timestamp - seen.timestamp) * 1000) / (head.number - seen.number);
  return { seen: current, blockMs: pace.blockMs === null ? sample : (pace.blockMs + sample) / 2 };
}

/**
 * How long to wait before the next poll: until the next block is due, a block after the last one
 * appeared (and a tenth more), so a poll usually finds one new block and costs two requests;
 * never less than `pollInterval`, never more than two blocks.
 */
function pollDelay(pace: Pace, pollInterval: number, now: number): number {
  if (pace.seen === null || pace.blockMs === null || pace.blockMs <= 0) return pollInterval;
  const due = pace.seen.at + pace.blockMs * 1.1 - now;
  return Math.min(Math.max(pollInterval, due), Math.max(pollInterval, 2 * pace.blockMs));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.replace(/https?:\/\/\S+/g, "<url>");
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
