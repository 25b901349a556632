import type { DeployStackResult } from "../../core/governance/deploy-stack.js";
import type { StackStatus } from "../../core/governance/inspect-stack.js";
import { callLine } from "../../core/review/summarize-calls.js";
import { formatGas, formatTime, paint, table } from "../format.js";
import type { View, ViewContext } from "../output.js";
import { queueLines } from "./service-view.js";

/** `release status`: the stack as the chain has it, and every way it differs from what is intended. */
export const statusView: View<StackStatus> = {
  ok: (status) => status.ok,
  text(status, ctx) {
    const { color } = ctx;
    const lines = [
      "",
      `Network ${status.network} (chainId ${status.chainId}), block ${status.block}`,
      table(
        ["", "address", "governance"],
        [
          ...status.safes.map((s) => [
            `${s.role} Safe`,
            s.address,
            `${s.threshold} of ${s.owners.length}, nonce ${s.nonce}, v${s.version}${s.modules.length > 0 ? `, ${s.modules.length} MODULE(S)` : ""}${s.guard === null ? "" : ", GUARD"}`,
          ]),
          ["timelock", status.timelock.address, `min delay ${status.timelock.minDelay}s`],
          ...status.proxies.map((p) => [
            `proxy ${p.name}`,
            p.address,
            `${p.contract} at ${p.implementation}${p.paused ? ", PAUSED" : ""}, rollback ${
              p.rollbackTarget === null ? "none" : `to ${p.rollbackTarget} until ${formatTime(p.rollbackDeadline)}`
            }`,
          ]),
        ],
      ),
    ];
    if (status.operations.length > 0) {
      lines.push("", "Pending timelock operations:");
      for (const op of status.operations) {
        const by =
          op.explainedBy === null ? paint(color, "red", "NO PROPOSAL EXPLAINS IT") : `proposal ${op.explainedBy}`;
        lines.push(`  ${op.id}  executable ${formatTime(op.eta)}  ${by}`);
        for (const call of op.calls) lines.push(`    ${callLine(call)}`);
        if (op.explainedBy === null) lines.push(`    cancel it: ${ctx.command("release propose cancel", op.id)}`);
      }
    }
    lines.push(...queueLines(status.queue, ctx));
    if (status.ok) {
      lines.push(
        paint(
          color,
          "green",
          "\nChain and records agree: every role holder, Safe owner, module and guard is as intended.",
        ),
      );
    } else {
      lines.push(
        paint(color, "red", `\n${status.findings.length} difference(s) between the chain and what is intended:`),
      );
      for (const f of status.findings) lines.push(`  - ${f.subject}: expected ${f.expected}, found ${f.actual}`);
    }
    return lines.join("\n");
  },
};

/** `release deploy`: what was sent, then the status of the new stack, and what to do next. */
export const deployView: View<DeployStackResult> = {
  ok: (result) => result.status.ok,
  text(result, ctx: ViewContext) {
    const sent =
      result.transactions === 0
        ? "The stack was already complete: nothing was sent."
        : `Sent ${result.transactions} transactions, ${formatGas(result.gasUsed)} gas in all.`;
    const proxy = Object.keys(result.stack.proxies)[0] ?? "<proxy>";
    return [
      "",
      sent,
      `Records: ${result.recordsDir}`,
      statusView.text(result.status, ctx),
      paint(
        ctx.color,
        "dim",
        `Next: ${ctx.command("release verify")}, then ${ctx.command("release propose upgrade", "--proxy", proxy, "--implementation", "<Contract>")}`,
      ),
    ].join("\n");
  },
};
