import type { WatchConfig } from "../config/release-config.js";
import type { Hex } from "../types.js";

export type Severity = "info" | "warning" | "critical";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

/**
 * Everything `release watch` reports, with its default severity. A change a proposal file
 * explains is information; the same change without one is critical. Overridable per network
 * (`release.networks.<name>.watch.severity`).
 */
export const ALERT_KINDS = {
  upgrade: "info",
  "upgrade-unexplained": "critical",
  rollback: "info",
  "rollback-unexplained": "critical",
  pause: "info",
  "pause-unexplained": "critical",
  unpause: "info",
  "unpause-unexplained": "critical",
  role: "info",
  "role-unexplained": "critical",
  delay: "info",
  "delay-unexplained": "critical",
  safe: "info",
  "safe-unexplained": "critical",
  execution: "info",
  "execution-unexplained": "warning",
  "execution-failure": "warning",
  "operation-scheduled": "info",
  "operation-unexplained": "critical",
  "operation-ready": "warning",
  "operation-executed": "info",
  "operation-cancelled": "info",
  "queue-unexplained": "critical",
  drift: "critical",
  "head-age": "critical",
  "endpoint-lag": "warning",
  "endpoint-disagree": "critical",
  "endpoint-errors": "warning",
  "failure-rate": "warning",
} as const satisfies Record<string, Severity>;

export type AlertKind = keyof typeof ALERT_KINDS;

/** What each kind reports, for people (docs/alerts.md is generated from it). */
export const ALERT_MEANINGS: Record<AlertKind, string> = {
  upgrade: "A proxy switched implementation in a proposal's execution (or the deploy).",
  "upgrade-unexplained": "A proxy switched implementation and no proposal explains it: pause it.",
  rollback: "The guardian rolled a proxy back, executing a proposal.",
  "rollback-unexplained": "A proxy was rolled back outside any proposal.",
  pause: "A proxy was paused by a proposal.",
  "pause-unexplained":
    "A proxy was paused outside any proposal (the guardian acting in the Safe app, or a stolen key).",
  unpause: "A proxy was unpaused by a proposal.",
  "unpause-unexplained": "A proxy was unpaused outside any proposal.",
  role: "A role was granted, revoked or re-administered by a proposal (or the deploy).",
  "role-unexplained": "A role changed hands outside any proposal: a change of power nobody reviewed.",
  delay: "The timelock delay or a proxy's rollback window changed through a proposal.",
  "delay-unexplained": "The timelock delay or a rollback window changed outside any proposal.",
  safe: "A Safe's owners, threshold or fallback handler changed through a proposal.",
  "safe-unexplained":
    "A Safe's owners, threshold or handler changed outside any proposal, or any module or guard was set, or a module executed (always critical).",
  execution: "A Safe executed a proposal's transaction.",
  "execution-unexplained": "A Safe executed a transaction no proposal explains (its effects get their own alerts).",
  "execution-failure": "A Safe transaction failed inside the Safe (ExecutionFailure): its nonce is used.",
  "operation-scheduled": "A proposal's timelock operation was scheduled.",
  "operation-unexplained":
    "A timelock operation no proposal explains is scheduled or pending, with its ETA: the guardian cancels it.",
  "operation-ready": "A proposal's timelock operation is executable now: execute it.",
  "operation-executed": "A timelock operation executed.",
  "operation-cancelled": "A timelock operation was cancelled.",
  "queue-unexplained": "The Safe Transaction Service queues a transaction for a stack Safe that no proposal explains.",
  drift: "`release status` finds the stack differs from what is intended (role holders, modules, guard, code).",
  "head-age": "No new block for `headAge` seconds: the chain or the endpoint is stuck.",
  "endpoint-lag": "An RPC endpoint trails the best one by more than `endpointLag` blocks.",
  "endpoint-disagree": "RPC endpoints return different hashes for the same block: one is on another fork, or lying.",
  "endpoint-errors": "An RPC endpoint fails more than `errorRate` of its checks, or serves another chain.",
  "failure-rate": "More than `failureRate` of the latest transactions to the governed contracts failed.",
};
export const ALERT_KIND_NAMES = Object.keys(ALERT_KINDS) as AlertKind[];

/**
 * One alert. `id` is stable: the same finding always gets the same id, so sinks can deduplicate
 * and a restarted watcher never repeats one. `status`: "raised" for a new event or condition,
 * "resolved" when a condition clears, "retracted" when a reorg dropped the block it came from.
 */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: Severity;
  status: "raised" | "resolved" | "retracted";
  network: string;
  chainId: number;
  /** The block it happened in (events), or the block it was seen at (conditions). */
  block: number | null;
  txHash: Hex | null;
  title: string;
  /** Decoded calls and facts, one line each. */
  details: string[];
  /** The command that answers it, as it runs; null when nothing is to be done. */
  action: string | null;
  at: string;
  /** What `--respond` acts on: a timelock operation to cancel, a proxy to pause. */
  subject?: { operation?: Hex; proxy?: string };
}

/** Where alerts are raised: the network, the block they are seen at, the configured severities. */
export interface AlertScope {
  network: string;
  chainId: number;
  block: number | null;
  config: Pick<WatchConfig, "severity">;
  now: () => Date;
}

/** An alert of `kind` in `scope`, its severity the network's override or the kind's default. */
export function raiseAlert(
  scope: AlertScope,
  kind: AlertKind,
  fields: Pick<Alert, "id" | "title"> &
    Partial<Pick<Alert, "details" | "action" | "subject" | "txHash" | "block" | "status">>,
): Alert {
  const { subject, ...rest } = fields;
  return {
    kind,
    severity: scope.config.severity[kind] ?? ALERT_KINDS[kind],
    status: "raised",
    network: scope.network,
    chainId: scope.chainId,
    block: scope.block,
    txHash: null,
    details: [],
    action: null,
    at: scope.now().toISOString(),
    ...rest,
    ...(subject === undefined ? {} : { subject }),
  };
}

export function atLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);
}
