import type { ExportTxBuilderResult } from "../../core/proposals/export-tx-builder.js";
import type { ListProposalsResult } from "../../core/proposals/list-proposals.js";
import type { DecodedCall } from "../../core/review/decode-calls.js";
import type { RedFlag } from "../../core/review/find-red-flags.js";
import type { ReviewReport } from "../../core/review/review-proposal.js";
import { callLine } from "../../core/review/summarize-calls.js";
import { formatTime, paint, table } from "../format.js";
import type { View, ViewContext } from "../output.js";
import { queueLines } from "./service-view.js";

/** `release review`: what a signer must check before signing, recomputed from the bytes and the chain. */
export const reviewView: View<ReviewReport> = {
  ok: (report) => report.ok,
  text(report, ctx) {
    const { color } = ctx;
    const bold = (t: string) => paint(color, "bold", t);
    const p = report.proposal;
    const lines = [
      bold(`Proposal ${p.id} (${p.kind}, ${p.status})`),
      "  What the transaction does (decoded from its bytes):",
      ...report.summary.map((line) => `    ${line}`),
      `  The proposer's description (a claim, not checked): ${JSON.stringify(p.description)}`,
      `  network ${report.network.name} (chainId ${report.network.chainId}); proposal made for ${p.network} (chainId ${p.chainId})`,
      `  phase ${report.phase.name} (${report.phase.index + 1} of ${report.phase.count})${report.phase.executed ? ", executed" : ""}`,
      bold("\nSafe transaction"),
      table(["field", "value"], safeTxRows(report)),
      bold("\nHashes (recomputed; a hardware wallet shows the domain and message hashes)"),
      `  domain hash   ${report.hashes.domainHash}`,
      `  message hash  ${report.hashes.messageHash}`,
      `  safeTxHash    ${report.hashes.safeTxHash}`,
    ];
    if (report.onChainHashes !== null) {
      lines.push(
        `  ${sameHashes(report) ? "the Safe contract computes the same hashes" : paint(color, "red", "the Safe contract computes different hashes")}`,
      );
    }
    lines.push(bold("\nCalls"), ...callTree(report.calls, "  ", color));
    if (report.timelock !== null) {
      const t = report.timelock;
      lines.push(
        bold("\nTimelock operation"),
        `  ${t.action} ${t.id} (recomputed from the calldata)`,
        `  state ${t.state}${t.eta === null ? "" : `, executable from ${formatTime(t.eta)}`}${t.delay === null ? "" : `, delay ${t.delay}s`}`,
      );
    }
    if (report.implementation !== null) {
      const i = report.implementation;
      lines.push(
        bold("\nImplementation"),
        `  ${i.contract} at ${i.address}: on-chain code ${i.codeMatch} (local bytecode match, immutables masked)`,
      );
    }
    if (report.simulation !== null) {
      const s = report.simulation;
      lines.push(
        bold("\nSimulation on current chain state"),
        s.success
          ? `  ${paint(color, "green", "succeeds")}, gas ${Number(s.gasEstimate).toLocaleString("en-US")}`
          : `  ${paint(color, "red", "fails")}: ${s.revertReason ?? "reverted"}`,
      );
    }
    lines.push(bold("\nSignatures"), `  ${report.validSignatures} valid of ${report.safe?.threshold ?? 0} needed`);
    for (const s of report.signatures) {
      const mark = s.valid ? paint(color, "green", "✓") : paint(color, "red", "✗");
      lines.push(`  ${mark} ${s.signer} (${s.kind})${s.problem === null ? "" : `: ${s.problem}`}`);
    }
    lines.push(...queueLines(report.queue, ctx));
    lines.push(bold("\nRed flags"));
    const shown = report.redFlags.filter((f) => f.severity !== "info");
    if (shown.length === 0) lines.push("  none");
    for (const f of shown) {
      const tag = f.severity === "danger" ? paint(color, "red", "DANGER ") : paint(color, "yellow", "warning");
      lines.push(`  ${tag} ${f.code} ${f.scope === "stack" ? "(the stack) " : ""}${f.message}`);
    }
    for (const f of report.redFlags.filter((flag) => flag.severity === "info")) {
      lines.push(`  ${paint(color, "dim", `note    ${f.code} ${f.message}`)}`);
    }
    lines.push(verdict(report, ctx));
    return lines.join("\n");
  },

  markdown(report, ctx) {
    const p = report.proposal;
    const flags = report.redFlags.filter((f) => f.severity !== "info");
    return [
      `## Review of \`${p.id}\` (${p.kind}): ${report.ok ? "no danger" : "DANGER, do not sign"}`,
      "",
      "**What the transaction does** (decoded from its bytes):",
      "",
      ...report.summary.map((line) => `- \`${line}\``),
      "",
      `The proposer's description (a claim, not checked): ${p.description}`,
      "",
      "| | |",
      "|---|---|",
      ...safeTxRows(report).map(([k, v]) => `| ${k} | \`${v}\` |`),
      `| domain hash | \`${report.hashes.domainHash}\` |`,
      `| message hash | \`${report.hashes.messageHash}\` |`,
      `| safeTxHash | \`${report.hashes.safeTxHash}\` |`,
      "",
      `Signatures: ${report.validSignatures} valid of ${report.safe?.threshold ?? 0} needed.`,
      "",
      "### Red flags",
      "",
      ...(flags.length === 0
        ? ["None."]
        : flags.map((f) => `- **${f.severity}** ${f.code}${f.scope === "stack" ? " (the stack)" : ""}: ${f.message}`)),
      "",
      verdict(report, { ...ctx, color: false }).trim(),
      "",
    ].join("\n");
  },
};

function safeTxRows(report: ReviewReport): string[][] {
  const p = report.proposal;
  const tx = report.safeTx;
  return [
    ["Safe", `${p.safe.address} (${p.safe.role})`],
    ["to", tx.to],
    ["value", tx.value],
    ["data", shorten(tx.data)],
    ["operation", tx.operation === 0 ? "0 (call)" : "1 (delegatecall)"],
    ["safeTxGas", tx.safeTxGas],
    ["baseGas", tx.baseGas],
    ["gasPrice", tx.gasPrice],
    ["gasToken", tx.gasToken],
    ["refundReceiver", tx.refundReceiver],
    ["nonce", `${tx.nonce}${report.safe === null ? "" : ` (Safe at ${report.safe.nonce})`}`],
  ];
}

function sameHashes(report: ReviewReport): boolean {
  const onChain = report.onChainHashes!;
  return (
    onChain.safeTxHash.toLowerCase() === report.hashes.safeTxHash.toLowerCase() &&
    onChain.domainHash.toLowerCase() === report.hashes.domainHash.toLowerCase()
  );
}

function verdict(report: ReviewReport, ctx: ViewContext): string {
  const warnings = [...new Set(report.redFlags.filter((f: RedFlag) => f.severity === "warning").map((f) => f.code))];
  if (!report.ok)
    return paint(
      ctx.color,
      "red",
      "\nDo not sign this proposal: see the danger flags above. sign and execute refuse it.",
    );
  const sign = ctx.command("release sign", report.proposal.id, "--signer", "<owner address>");
  if (warnings.length > 0) {
    return paint(
      ctx.color,
      "yellow",
      `\nNo danger found, but warnings: sign only if you accept them (${sign} --acknowledge ${warnings.join(",")}). Compare the hashes above with your wallet.`,
    );
  }
  return paint(ctx.color, "green", `\nNo danger found. Compare the hashes above with your wallet, then: ${sign}`);
}

function callTree(call: DecodedCall, indent: string, color: boolean): string[] {
  const who = call.toName === null ? paint(color, "red", `${call.to} (unknown)`) : `${call.toName} ${call.to}`;
  const what = call.method ?? (call.selector === null ? "(no data)" : `${call.selector} (undecoded)`);
  const extras = [
    call.operation === 1 ? "DELEGATECALL" : "",
    call.value !== "0" ? `value ${call.value} wei` : "",
    call.via === "upgrade-init" ? `run as ${call.contract ?? "unknown code"} during the upgrade` : "",
  ].filter((x) => x !== "");
  return [
    `${indent}${who}.${what}${extras.length > 0 ? `  [${extras.join(", ")}]` : ""}`,
    ...call.args.map((arg) => `${indent}    ${arg.name || "_"} (${arg.type}): ${shorten(arg.value)}`),
    ...(call.timelock === undefined ? [] : [`${indent}    → timelock operation ${call.timelock.id}`]),
    ...call.inner.flatMap((inner) => callTree(inner, `${indent}  `, color)),
  ];
}

/** `release proposals`: the queue, and every pending operation no proposal explains. */
export const queueView: View<ListProposalsResult> = {
  ok: (result) =>
    result.unexplained.length === 0 && (result.queue?.transactions.every((tx) => tx.danger === null) ?? true),
  text(result, ctx) {
    const { color } = ctx;
    const lines = [`Network ${result.network} (chainId ${result.chainId}), chain time ${formatTime(result.now)}`];
    for (const op of result.unexplained) {
      lines.push(
        paint(
          color,
          "red",
          `DANGER: timelock operation ${op.id} is pending (executable ${formatTime(op.eta)}) and no proposal explains it:`,
        ),
        ...op.calls.map((call) => `  ${callLine(call)}`),
        `  Cancel it: ${ctx.command("release propose cancel", op.id)}`,
      );
    }
    if (result.proposals.length === 0) {
      return [...lines, "No proposals.", ...queueLines(result.queue, ctx, { dangersOnly: true })].join("\n");
    }
    const service = result.queue !== undefined && result.queue.unavailable === null;
    lines.push(
      table(
        [
          "id",
          "kind",
          "target",
          "Safe",
          "nonce",
          "signatures",
          ...(service ? ["queued"] : []),
          "phase",
          "status",
          "ETA",
          "next",
        ],
        result.proposals.map((q) => [
          q.id,
          q.kind,
          q.target,
          q.safe.role,
          q.nonce === null ? "-" : String(q.nonce),
          `${q.signatures}/${q.threshold}`,
          ...(service ? [q.service == null ? "-" : `${q.service.confirmations}/${q.threshold}`] : []),
          q.phase ?? "-",
          q.status,
          formatTime(q.eta),
          q.nextAction,
        ]),
      ),
      ...queueLines(result.queue, ctx, { dangersOnly: true }),
    );
    return lines.join("\n");
  },
};

/** `release export`: the batch itself (stdout), or where it was written and what to check in the app. */
export const exportView: View<ExportTxBuilderResult & { file: string | null }> = {
  text(result) {
    if (result.file === null) return JSON.stringify(result.batch, null, 2);
    return [
      `Wrote ${result.file}: ${result.batch.transactions.length} call(s) of the ${result.phase} phase.`,
      `In Safe{Wallet}, check the nonce is ${result.nonce} and the safeTxHash is ${result.safeTxHash}.`,
    ].join("\n");
  },
};

/** Long calldata is decoded below it; the full bytes are in the file and in --json. */
function shorten(value: string): string {
  return value.startsWith("0x") && value.length > 138
    ? `${value.slice(0, 138)}… (${(value.length - 2) / 2} bytes)`
    : value;
}
