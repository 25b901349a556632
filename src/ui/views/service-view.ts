import type { ServiceQueue } from "../../core/service/read-service-queue.js";
import type { PullConfirmationsResult } from "../../core/service/pull-confirmations.js";
import type { PushProposalResult } from "../../core/service/push-proposal.js";
import { paint } from "../format.js";
import type { View, ViewContext } from "../output.js";

/** `release push`: what reached the queue, and what signers do next. */
export const pushView: View<PushProposalResult> = {
  text(result, ctx) {
    const { color } = ctx;
    const id = result.proposal.id;
    const what = result.created
      ? `put the ${result.phase} phase of ${id} into the Safe's queue`
      : result.added.length > 0
        ? `added to the ${result.phase} phase of ${id} in the Safe's queue`
        : `the ${result.phase} phase of ${id} is in the Safe's queue already, with every signature of the file`;
    const enough = result.queued >= result.threshold;
    return [
      `${paint(color, "green", "✓")} ${what} (safeTxHash ${result.safeTxHash})`,
      ...(result.added.length > 0 ? [`  signatures sent: ${result.added.join(", ")}`] : []),
      `  confirmations in the queue: ${result.queued} of ${result.threshold}`,
      paint(
        color,
        "dim",
        enough
          ? `Next: ${ctx.command("release execute", id)}`
          : `Next: the other owners confirm in Safe{Wallet} (compare the hashes of ${ctx.command("release review", id)}), then ${ctx.command("release pull", id)}`,
      ),
    ].join("\n");
  },
};

/** `release pull`: what was merged into each file, and what was refused and why. */
export const pullView: View<PullConfirmationsResult> = {
  text(result, ctx) {
    const { color } = ctx;
    const lines: string[] = [];
    for (const p of result.proposals) {
      if (!p.queued) {
        lines.push(
          `  ${p.proposal} (${p.phase}): not in the queue; push it: ${ctx.command("release push", p.proposal)}`,
        );
        continue;
      }
      const merged = p.merged.length === 0 ? "nothing new" : `merged ${p.merged.map((s) => s.signer).join(", ")}`;
      lines.push(
        `${paint(color, "green", "✓")} ${p.proposal} (${p.phase}): ${merged}; signatures ${p.signatures} of ${p.threshold}`,
      );
      for (const r of p.refused) lines.push(paint(color, "red", `  refused ${r.owner}: ${r.reason}`));
      if (p.signatures >= p.threshold)
        lines.push(paint(color, "dim", `  Next: ${ctx.command("release execute", p.proposal)}`));
    }
    if (result.proposals.length === 0) lines.push("No open proposal to pull.");
    return lines.join("\n");
  },
};

/**
 * The Transaction Service section of status, proposals and review: what Safe{Wallet} shows
 * signers. `dangersOnly` (the proposals table has a column for the rest) prints nothing when
 * the queue holds no danger.
 */
export function queueLines(
  queue: ServiceQueue | undefined,
  ctx: ViewContext,
  options: { dangersOnly?: boolean } = {},
): string[] {
  if (queue === undefined) return [];
  const { color } = ctx;
  const lines = ["", `Transaction Service queue (${queue.url}):`];
  if (queue.unavailable !== null) {
    return [...lines, paint(color, "yellow", `  not readable now: ${queue.unavailable.message}`)];
  }
  const shown = queue.transactions.filter((tx) => options.dangersOnly !== true || tx.danger !== null);
  if (shown.length === 0) return options.dangersOnly === true ? [] : [...lines, "  empty"];
  for (const tx of shown) {
    const who = tx.proposal === null ? "" : ` ${tx.proposal.id} (${tx.proposal.phase})`;
    const line = `  ${tx.safe.role} Safe nonce ${tx.nonce}${who}: ${tx.confirmations.length} confirmation(s), safeTxHash ${tx.safeTxHash}`;
    lines.push(tx.danger === null ? line : paint(color, "red", `${line}\n    DANGER: ${tx.danger}`));
    if (tx.danger !== null) for (const effect of tx.summary) lines.push(`    ${effect}`);
    for (const r of tx.refused) lines.push(`    refused confirmation by ${r.owner}: ${r.reason}`);
  }
  return lines;
}
