import type { ProposalRehearsal, RehearsalReport, RehearsalStep } from "../../core/rehearsal/rehearse-proposals.js";
import { formatTime, paint } from "../format.js";
import type { View } from "../output.js";

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

function signatures(step: RehearsalStep): string {
  const real = step.realSignatures.map(short).join(", ") || "none";
  const fake = step.impersonatedApprovals.map(short).join(", ");
  return fake === "" ? `real: ${real}` : `real: ${real}; impersonated: ${fake}`;
}

function stepLabel(step: RehearsalStep): string {
  return step.timeTravelTo === undefined
    ? step.phase
    : `${step.phase} (clock moved to ETA ${formatTime(step.timeTravelTo)})`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report as Markdown, for a pull-request comment: one section per proposal, details folded. */
function rehearsalMarkdown(report: RehearsalReport): string {
  const lines = [
    `## Rehearsal ${report.ok ? "passed ✅" : "FAILED ❌"}`,
    "",
    `Network \`${report.network}\` (chainId ${report.chainId}), forked from \`${report.fork.source}\` at block ${report.fork.blockNumber}. ` +
      "Missing signatures were supplied by impersonated owners (approveHash) on the fork only.",
  ];
  for (const p of report.proposals) lines.push("", ...proposalMarkdown(p));
  return `${lines.join("\n")}\n`;
}

function proposalMarkdown(p: ProposalRehearsal): string[] {
  const lines = [`### ${p.ok ? "✅" : "❌"} ${p.id}: ${p.description}`, "", ...p.calls.map((c) => `- \`${c}\``), ""];
  lines.push("| step | signatures | transaction | gas | events |", "|---|---|---|---|---|");
  for (const s of p.steps) {
    const outcome = s.ok ? `\`${s.txHash}\`` : `❌ ${s.error?.code ?? ""}: ${cell(s.error?.message ?? "")}`;
    lines.push(
      `| ${stepLabel(s)} | ${signatures(s)} | ${outcome} | ${s.gasUsed ?? ""} | ${cell(s.events.join("<br>"))} |`,
    );
  }
  const warnings = p.steps.flatMap((s) => s.warnings.map((w) => `${s.phase}: ${w}`));
  if (warnings.length > 0) {
    lines.push("", "Warnings signers must acknowledge:", ...warnings.map((w) => `- ⚠️ ${cell(w)}`));
  }
  if (p.assertions.length > 0) {
    lines.push("", "| assertion | expected | actual | |", "|---|---|---|---|");
    for (const a of p.assertions)
      lines.push(`| ${cell(a.name)} | ${cell(a.expected)} | ${cell(a.actual)} | ${a.ok ? "✅" : "❌"} |`);
  }
  if (p.diff.length > 0) {
    lines.push(
      "",
      "<details><summary>State and balance changes</summary>",
      "",
      "| what | before | after |",
      "|---|---|---|",
    );
    for (const d of p.diff) lines.push(`| ${cell(d.what)} | ${cell(d.before)} | ${cell(d.after)} |`);
    lines.push("", "</details>");
  }
  return lines;
}

/** The report for a terminal. */
function rehearsalText(report: RehearsalReport, color: boolean): string {
  const lines = [
    `Rehearsal on a fork of ${report.network} (chainId ${report.chainId}) from ${report.fork.source} at block ${report.fork.blockNumber}`,
  ];
  for (const p of report.proposals) {
    lines.push(
      "",
      `${p.ok ? paint(color, "green", "✓") : paint(color, "red", "✗")} ${paint(color, "bold", p.id)}  ${p.description}`,
    );
    for (const s of p.steps) {
      const outcome = s.ok
        ? `${s.txHash}, gas ${s.gasUsed}`
        : paint(color, "red", `${s.error?.code}: ${s.error?.message}`);
      lines.push(`  ${stepLabel(s)}: ${outcome}`, `    signatures ${signatures(s)}`);
      for (const w of s.warnings) lines.push(paint(color, "yellow", `    warning ${w}`));
      for (const e of s.events) lines.push(paint(color, "dim", `    event ${e}`));
    }
    for (const a of p.assertions) {
      const mark = a.ok ? paint(color, "green", "✓") : paint(color, "red", "✗");
      lines.push(`  ${mark} ${a.name}${a.ok ? "" : `: expected ${a.expected}, got ${a.actual}`}`);
    }
  }
  lines.push(
    "",
    report.ok
      ? paint(color, "green", "Every proposal rehearsed cleanly.")
      : paint(color, "red", "The rehearsal failed: do not sign or execute the failing proposals as they are."),
  );
  return lines.join("\n");
}

/** `release rehearse`: the report for a terminal, or as Markdown for a pull-request comment. */
export const rehearsalView: View<RehearsalReport> = {
  ok: (report) => report.ok,
  text: (report, { color }) => rehearsalText(report, color),
  markdown: (report) => rehearsalMarkdown(report),
};
