import { writeFile } from "node:fs/promises";

import type { ExportTxBuilderResult } from "../core/proposals/export-tx-builder.js";
import type { ListProposalsResult } from "../core/proposals/list-proposals.js";
import type { DecodedCall } from "../core/review/decode-calls.js";
import type { ReviewReport } from "../core/review/review-proposal.js";
import { callLine } from "../core/review/summarize-calls.js";
import { formatTime, paint, table, toJson } from "./format.js";

export interface ViewOptions {
  json?: boolean;
  /** Where output goes; standard output by default. */
  write?: (text: string) => void;
  color?: boolean;
}

/**
 * Renders the read side of proposals: `release review`, `release proposals` and `release export`.
 * Like the Reporter, it is the only place these commands print; with `json` it prints nothing but
 * the JSON document.
 */
export class ReviewView {
  private readonly json: boolean;
  private readonly write: (text: string) => void;
  private readonly color: boolean;

  constructor(options: ViewOptions = {}) {
    this.json = options.json ?? false;
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.color = options.color ?? (options.write === undefined && process.stdout.isTTY === true);
  }

  review(report: ReviewReport): void {
    if (this.json) return this.line(toJson(report));
    const bold = (t: string) => paint(this.color, "bold", t);
    const p = report.proposal;
    this.line(bold(`Proposal ${p.id} (${p.kind}, ${p.status})`));
    this.line("  What the transaction does (decoded from its bytes):");
    for (const line of report.summary) this.line(`    ${line}`);
    this.line(`  The proposer's description (a claim, not checked): ${JSON.stringify(p.description)}`);
    this.line(
      `  network ${report.network.name} (chainId ${report.network.chainId}); proposal made for ${p.network} (chainId ${p.chainId})`,
    );
    this.line(
      `  phase ${report.phase.name} (${report.phase.index + 1} of ${report.phase.count})${report.phase.executed ? ", executed" : ""}`,
    );

    this.line(bold("\nSafe transaction"));
    const tx = report.safeTx;
    this.line(
      table(
        ["field", "value"],
        [
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
        ],
      ),
    );

    this.line(bold("\nHashes (recomputed; a hardware wallet shows the domain and message hashes)"));
    this.line(`  domain hash   ${report.hashes.domainHash}`);
    this.line(`  message hash  ${report.hashes.messageHash}`);
    this.line(`  safeTxHash    ${report.hashes.safeTxHash}`);
    if (report.onChainHashes !== null) {
      const same =
        report.onChainHashes.safeTxHash.toLowerCase() === report.hashes.safeTxHash.toLowerCase() &&
        report.onChainHashes.domainHash.toLowerCase() === report.hashes.domainHash.toLowerCase();
      this.line(
        `  ${same ? "the Safe contract computes the same hashes" : paint(this.color, "red", "the Safe contract computes different hashes")}`,
      );
    }

    this.line(bold("\nCalls"));
    this.callTree(report.calls, "  ");

    if (report.timelock !== null) {
      const t = report.timelock;
      this.line(bold("\nTimelock operation"));
      this.line(`  ${t.action} ${t.id} (recomputed from the calldata)`);
      this.line(
        `  state ${t.state}${t.eta === null ? "" : `, executable from ${formatTime(t.eta)}`}${t.delay === null ? "" : `, delay ${t.delay}s`}`,
      );
    }
    if (report.implementation !== null) {
      const i = report.implementation;
      this.line(bold("\nImplementation"));
      this.line(
        `  ${i.contract} at ${i.address}: on-chain code ${i.codeMatch} (local bytecode match, immutables masked)`,
      );
    }
    if (report.simulation !== null) {
      const s = report.simulation;
      this.line(bold("\nSimulation on current chain state"));
      this.line(
        s.success
          ? `  ${paint(this.color, "green", "succeeds")}, gas ${Number(s.gasEstimate).toLocaleString("en-US")}`
          : `  ${paint(this.color, "red", "fails")}: ${s.revertReason ?? "reverted"}`,
      );
    }
    this.line(bold("\nSignatures"));
    const threshold = report.safe?.threshold ?? 0;
    this.line(`  ${report.validSignatures} valid of ${threshold} needed`);
    for (const s of report.signatures) {
      this.line(
        `  ${s.valid ? paint(this.color, "green", "✓") : paint(this.color, "red", "✗")} ${s.signer} (${s.kind})${s.problem === null ? "" : `: ${s.problem}`}`,
      );
    }

    this.line(bold("\nRed flags"));
    const shown = report.redFlags.filter((f) => f.severity !== "info");
    if (shown.length === 0) this.line("  none");
    for (const f of shown) {
      const tag =
        f.severity === "danger" ? paint(this.color, "red", "DANGER ") : paint(this.color, "yellow", "warning");
      this.line(`  ${tag} ${f.code} ${f.scope === "stack" ? "(the stack) " : ""}${f.message}`);
    }
    for (const f of report.redFlags.filter((flag) => flag.severity === "info")) {
      this.line(`  ${paint(this.color, "dim", `note    ${f.code} ${f.message}`)}`);
    }
    const warnings = [...new Set(shown.filter((f) => f.severity === "warning").map((f) => f.code))];
    this.line(
      !report.ok
        ? paint(
            this.color,
            "red",
            "\nDo not sign this proposal: see the danger flags above. sign and execute refuse it.",
          )
        : warnings.length > 0
          ? paint(
              this.color,
              "yellow",
              `\nNo danger found, but warnings: sign only if you accept them (sign and execute ask for --acknowledge ${warnings.join(",")}). Compare the hashes above with your wallet.`,
            )
          : paint(this.color, "green", "\nNo danger found. Compare the hashes above with your wallet before signing."),
    );
  }

  proposals(result: ListProposalsResult): void {
    if (this.json) return this.line(toJson(result));
    this.line(`Network ${result.network} (chainId ${result.chainId}), chain time ${formatTime(result.now)}`);
    for (const op of result.unexplained) {
      this.line(
        paint(
          this.color,
          "red",
          `DANGER: timelock operation ${op.id} is pending (executable ${formatTime(op.eta)}) and no proposal explains it:`,
        ),
      );
      for (const call of op.calls) this.line(`  ${callLine(call)}`);
      this.line(`  Cancel it: npx hardhat release propose cancel ${op.id} --network ${result.network}`);
    }
    if (result.proposals.length === 0) return this.line("No proposals.");
    this.line(
      table(
        ["id", "kind", "target", "Safe", "nonce", "signatures", "phase", "status", "ETA", "next"],
        result.proposals.map((q) => [
          q.id,
          q.kind,
          q.target,
          q.safe.role,
          q.nonce === null ? "-" : String(q.nonce),
          `${q.signatures}/${q.threshold}`,
          q.phase ?? "-",
          q.status,
          formatTime(q.eta),
          q.nextAction,
        ]),
      ),
    );
  }

  /** Writes the batch to `out`, or prints it (the JSON document is the output either way). */
  async exported(result: ExportTxBuilderResult, out: string | undefined): Promise<void> {
    const text = `${JSON.stringify(result.batch, null, 2)}\n`;
    if (out === undefined) return this.write(text);
    await writeFile(out, text);
    if (this.json)
      return this.line(toJson({ file: out, phase: result.phase, nonce: result.nonce, safeTxHash: result.safeTxHash }));
    this.line(`Wrote ${out}: ${result.batch.transactions.length} call(s) of the ${result.phase} phase.`);
    this.line(`In Safe{Wallet}, check the nonce is ${result.nonce} and the safeTxHash is ${result.safeTxHash}.`);
  }

  private callTree(call: DecodedCall, indent: string): void {
    const who = call.toName === null ? paint(this.color, "red", `${call.to} (unknown)`) : `${call.toName} ${call.to}`;
    const what = call.method ?? (call.selector === null ? "(no data)" : `${call.selector} (undecoded)`);
    const extras = [
      call.operation === 1 ? "DELEGATECALL" : "",
      call.value !== "0" ? `value ${call.value} wei` : "",
      call.via === "upgrade-init" ? `run as ${call.contract ?? "unknown code"} during the upgrade` : "",
    ].filter((x) => x !== "");
    this.line(`${indent}${who}.${what}${extras.length > 0 ? `  [${extras.join(", ")}]` : ""}`);
    for (const arg of call.args) this.line(`${indent}    ${arg.name || "_"} (${arg.type}): ${shorten(arg.value)}`);
    if (call.timelock !== undefined) this.line(`${indent}    → timelock operation ${call.timelock.id}`);
    for (const inner of call.inner) this.callTree(inner, `${indent}  `);
  }

  private line(text: string): void {
    this.write(`${text}\n`);
  }
}

/** Long calldata is decoded below it; the full bytes are in the file and in --json. */
function shorten(value: string): string {
  return value.startsWith("0x") && value.length > 138
    ? `${value.slice(0, 138)}… (${(value.length - 2) / 2} bytes)`
    : value;
}
