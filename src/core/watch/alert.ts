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

export function atLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);
}
