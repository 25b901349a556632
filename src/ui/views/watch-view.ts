import type { Alert, Severity } from "../../core/watch/alert.js";
import { atLeast } from "../../core/watch/alert.js";
import { worstSeverity, type WatchResult } from "../../core/watch/watch-stack.js";
import { paint } from "../format.js";
import type { View } from "../output.js";

const COLOURS = { critical: "red", warning: "yellow", info: "dim" } as const;

/** One alert on the terminal: severity, what happened, where, and the command that answers it. */
export function alertLine(alert: Alert, color: boolean): string {
  const tag = paint(color, COLOURS[alert.severity], alert.severity.toUpperCase().padEnd(8));
  const status = alert.status === "raised" ? "" : paint(color, "green", `[${alert.status}] `);
  const where =
    alert.block === null
      ? ""
      : paint(color, "dim", ` (block ${alert.block}${alert.txHash === null ? "" : `, ${alert.txHash}`})`);
  const lines = [`${tag} ${status}${alert.title}${where}`];
  for (const detail of alert.details) lines.push(`         ${detail}`);
  if (alert.action !== null && alert.status === "raised")
    lines.push(`         ${paint(color, "dim", `Next: ${alert.action}`)}`);
  return lines.join("\n");
}

export type WatchOutcome = WatchResult & { failOn: Severity };

/** `release watch`'s end (--once, or stopped): what was read, what is still open, and the exit. */
export const watchView: View<WatchOutcome> = {
  ok: (result) => {
    const worst = worstSeverity(result);
    return worst === null || !atLeast(worst, result.failOn);
  },
  jsonLine: true,
  json: (result) => ({
    type: "summary",
    network: result.network,
    chainId: result.chainId,
    fromBlock: result.fromBlock,
    toBlock: result.toBlock,
    alerts: result.alerts.length,
    open: result.open.map((a) => ({ id: a.id, kind: a.kind, severity: a.severity, title: a.title })),
    responses: result.responses,
    worst: worstSeverity(result),
  }),
  text(result, ctx) {
    const { color } = ctx;
    const read =
      result.fromBlock === null ? `up to block ${result.toBlock}` : `blocks ${result.fromBlock}-${result.toBlock}`;
    const lines = [`Watched ${result.network} (chainId ${result.chainId}), ${read}: ${result.alerts.length} alert(s).`];
    for (const response of result.responses) lines.push(paint(color, "cyan", `Response ${response}`));
    if (result.open.length > 0) {
      lines.push("Open conditions:");
      for (const a of result.open)
        lines.push(`  ${paint(color, COLOURS[a.severity], a.severity.padEnd(8))} ${a.title}`);
    }
    const worst = worstSeverity(result);
    lines.push(
      worst !== null && atLeast(worst, result.failOn)
        ? paint(color, "red", `A ${worst} alert is raised or open: exit 1 (--fail-on ${result.failOn}).`)
        : paint(color, "green", `Nothing at or above ${result.failOn}.`),
    );
    return lines.join("\n");
  },
};
