import type { StackStatus } from "../governance/inspect-stack.js";
import { callLine } from "../review/summarize-calls.js";
import type { ServiceQueue } from "../service/read-service-queue.js";
import type { WatchConfig } from "../config/release-config.js";
import { raiseAlert, type Alert, type AlertKind, type AlertScope } from "./alert.js";

/** Where conditions are checked: at a head block, whose time is the timelock's clock. */
export interface ConditionContext extends AlertScope {
  block: number;
  /** The head block's time (unix seconds). */
  time: number;
  config: WatchConfig;
  command: (...words: string[]) => string;
}

/**
 * The conditions that hold for the stack right now, each with a stable id: every finding of
 * `release status` (drift: extra role holders, modules, guards, code that is not the compiled
 * source), each pending timelock operation no proposal explains (critical, with its ETA and the
 * cancel command) or that a proposal explains and the timelock now allows (execute it), and every
 * queued Transaction Service transaction no proposal explains. The watcher raises a condition when
 * it appears and resolves it when it is gone.
 */
export function stackConditions(status: StackStatus, queue: ServiceQueue | undefined, ctx: ConditionContext): Alert[] {
  const alerts: Alert[] = [];
  const make = (
    id: string,
    kind: AlertKind,
    title: string,
    details: string[],
    action: string | null,
    subject?: Alert["subject"],
  ): Alert => raiseAlert(ctx, kind, { id, title, details, action, subject });
  for (const op of status.operations) {
    const calls = op.calls.map(callLine);
    const eta = op.eta === null ? "unknown" : new Date(op.eta * 1000).toISOString();
    if (op.explainedBy === null) {
      alerts.push(
        make(
          `operation:${op.id}`,
          "operation-unexplained",
          `Timelock operation ${op.id} is pending and no proposal explains it; executable from ${eta}`,
          calls,
          ctx.command("release propose cancel", op.id),
          { operation: op.id },
        ),
      );
    } else if (op.eta !== null && op.eta <= ctx.time) {
      alerts.push(
        make(
          `ready:${op.id}`,
          "operation-ready",
          `${op.explainedBy} is ready on the timelock (since ${eta}): execute it`,
          calls,
          ctx.command("release execute", op.explainedBy),
        ),
      );
    }
  }
  for (const finding of status.findings) {
    // Pending operations have their own alert above, with the command that answers them.
    if (finding.subject.startsWith("timelock operation ")) continue;
    alerts.push(
      make(
        `drift:${finding.subject}`,
        "drift",
        `${finding.subject}: expected ${finding.expected}, found ${finding.actual}`,
        [],
        ctx.command("release status"),
      ),
    );
  }
  for (const tx of queue?.transactions ?? []) {
    if (tx.danger === null) continue;
    alerts.push(
      make(
        `queue:${tx.safeTxHash}`,
        "queue-unexplained",
        `Transaction Service queue, ${tx.safe.role} Safe nonce ${tx.nonce}: ${tx.danger}`,
        tx.summary,
        ctx.command("release proposals"),
      ),
    );
  }
  return alerts;
}
