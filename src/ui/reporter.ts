import type { ReleaseEvent } from "../core/events.js";
import type { DeployStackResult } from "../core/governance/deploy-stack.js";
import type { StackStatus } from "../core/governance/inspect-stack.js";
import { callLine } from "../core/review/summarize-calls.js";
import type { CodeCheckRow } from "../core/verify/check-contracts-code.js";
import type { CheckStackCodeResult } from "../core/verify/check-stack-code.js";
import type { VerifyEvent, VerifyStackResult } from "../core/verify/verify-stack.js";
import type { TransactionCostEstimate } from "../core/gas/estimate-transaction-cost.js";
import type { RpcHealthResult } from "../core/rpc/check-rpc-health.js";
import { formatGas, formatTime, paint, table, toJson } from "./format.js";
import { gasEstimateView, rpcHealthView, txFeesLine } from "./gas-view.js";

export interface ReporterOptions {
  json?: boolean;
  /** Where output goes; standard output by default. */
  write?: (text: string) => void;
  color?: boolean;
}

/**
 * The one place that prints. Commands hand it the core's events while they run and the result at
 * the end; with `json` it prints nothing but the final JSON document, so scripts can parse stdout.
 */
export class Reporter {
  private readonly json: boolean;
  private readonly write: (text: string) => void;
  private readonly color: boolean;

  constructor(options: ReporterOptions = {}) {
    this.json = options.json ?? false;
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.color = options.color ?? (options.write === undefined && process.stdout.isTTY === true);
  }

  /** Renders a core event as one line (nothing in JSON mode). */
  readonly onEvent = (event: ReleaseEvent): void => {
    if (this.json) return;
    switch (event.type) {
      case "step-start":
        this.line(`${paint(this.color, "cyan", "…")} ${capitalize(event.title)}`);
        break;
      case "tx-sent":
        this.line(`  ${paint(this.color, "dim", `sent ${event.hash} (nonce ${event.nonce})`)}`);
        break;
      case "step-done": {
        const mark = event.outcome === "sent" ? paint(this.color, "green", "✓") : paint(this.color, "dim", "=");
        const what = event.outcome === "existing" ? "already there" : event.address ? "deployed" : "sent";
        const gas = event.gasUsed === undefined ? "" : `, gas ${formatGas(event.gasUsed)}`;
        this.line(
          `${mark} ${capitalize(event.title)} ${paint(this.color, "dim", `${what}${event.address ? ` at ${event.address}` : ""}${gas}`)}`,
        );
        break;
      }
      case "warning":
        this.line(`${paint(this.color, "yellow", "!")} ${event.message}`);
        break;
      case "followed":
        this.line(
          `${paint(this.color, "yellow", "!")} ${event.proposal}: the ${event.phase} phase was ${event.what} ${event.outside ? "outside this toolkit" : "by an earlier run"} (block ${event.block}, ${event.txHash}); the records now say so.`,
        );
        break;
      case "tx-fees":
        this.line(`  ${paint(this.color, "dim", txFeesLine(event.estimate))}`);
        break;
    }
  };

  heading(text: string): void {
    if (!this.json) this.line(`\n${paint(this.color, "bold", text)}`);
  }

  text(text: string): void {
    if (!this.json) this.line(text);
  }

  deployResult(result: DeployStackResult): void {
    if (this.json) return this.line(toJson(result));
    this.line("");
    this.line(
      result.transactions === 0
        ? "The stack was already complete: nothing was sent."
        : `Sent ${result.transactions} transactions, ${formatGas(result.gasUsed)} gas in all.`,
    );
    this.line(`Records: ${result.recordsDir}`);
    this.status(result.status);
  }

  status(status: StackStatus): void {
    if (this.json) return this.line(toJson(status));
    this.line("");
    this.line(`Network ${status.network} (chainId ${status.chainId})`);
    this.line(
      table(
        ["", "address", "governance"],
        [
          ...status.safes.map((s) => [
            `${s.role} Safe`,
            s.address,
            `${s.threshold} of ${s.owners.length}, nonce ${s.nonce}, v${s.version}`,
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
    );
    if (status.operations.length > 0) {
      this.line("\nPending timelock operations:");
      for (const op of status.operations) {
        const by =
          op.explainedBy === null ? paint(this.color, "red", "NO PROPOSAL EXPLAINS IT") : `proposal ${op.explainedBy}`;
        this.line(`  ${op.id}  executable ${formatTime(op.eta)}  ${by}`);
        for (const call of op.calls) this.line(`    ${callLine(call)}`);
      }
    }
    if (status.ok) {
      this.line(
        paint(
          this.color,
          "green",
          "\nChain and records agree: every role holder, Safe owner, module and guard is as intended.",
        ),
      );
    } else {
      this.line(
        paint(this.color, "red", `\n${status.findings.length} difference(s) between the chain and what is expected:`),
      );
      for (const f of status.findings) this.line(`  - ${f.subject}: expected ${f.expected}, found ${f.actual}`);
    }
  }

  /** Renders `release verify` progress: one line per contract and explorer (nothing in JSON mode). */
  readonly onVerifyEvent = (event: VerifyEvent): void => {
    if (this.json) return;
    switch (event.type) {
      case "verify-start":
        this.line(`${paint(this.color, "cyan", "…")} ${event.subject} on ${event.explorer}`);
        break;
      case "verify-retry":
        this.line(
          `  ${paint(this.color, "dim", `not indexed yet (attempt ${event.attempt}), retrying in ${event.delayMs / 1000}s`)}`,
        );
        break;
      case "verify-done": {
        const { row } = event;
        const ok = row.outcome === "verified" || row.outcome === "already-verified";
        const mark =
          row.outcome === "previously-verified"
            ? paint(this.color, "dim", "=")
            : ok
              ? paint(this.color, "green", "✓")
              : paint(this.color, "red", "✗");
        this.line(
          `${mark} ${row.subject} on ${row.explorer}: ${VERIFY_OUTCOMES[row.outcome]}${row.message === undefined ? "" : ` (${row.message})`}`,
        );
        break;
      }
      case "verify-skipped-explorer":
        this.line(`${paint(this.color, "yellow", "!")} Skipping ${event.explorer}: ${event.reason}`);
        break;
    }
  };

  verifyResult(result: VerifyStackResult): void {
    if (this.json) return this.line(toJson(result));
    this.line("");
    this.line(`Network ${result.network} (chainId ${result.chainId}), explorers: ${result.explorers.join(", ")}`);
    this.line(
      table(
        ["contract", "address", "explorer", "status", "url"],
        result.rows.map((r) => [r.subject, r.address, r.explorer, VERIFY_OUTCOMES[r.outcome], r.url]),
      ),
    );
    const safes = result.code.filter((c) => c.kind === "safe-contract" || c.kind === "safe");
    if (safes.length > 0) {
      const bad = safes.filter((c) => !codeOk(c));
      this.line(
        bad.length === 0
          ? `\n${safes.length} Safe contracts have their canonical Safe v1.4.1 code (checked locally, not submitted).`
          : paint(
              this.color,
              "red",
              `\n${bad.length} Safe contract(s) do not have the canonical code: ${bad.map((c) => `${c.subject} ${c.address}`).join(", ")}`,
            ),
      );
    }
    const failed = result.rows.filter(
      (r) => !["verified", "already-verified", "previously-verified"].includes(r.outcome),
    );
    if (result.ok) {
      this.line(paint(this.color, "green", "Everything is verified."));
    } else if (failed.length > 0) {
      this.line(
        paint(this.color, "red", `${failed.length} verification(s) not done; run the command again to retry them:`),
      );
      for (const r of failed)
        this.line(`  - ${r.subject} on ${r.explorer}: ${r.message ?? VERIFY_OUTCOMES[r.outcome]}`);
    }
  }

  /** `release verify --local`: the local bytecode match of every recorded address. */
  codeCheck(result: CheckStackCodeResult): void {
    if (this.json) return this.line(toJson(result));
    this.line("");
    this.line(`Network ${result.network} (chainId ${result.chainId}): on-chain code against the compiled artifacts`);
    this.line(
      table(
        ["contract", "address", "compiled", "match"],
        result.rows.map((r) => [
          r.subject,
          r.address,
          r.contract,
          `${CODE_MATCHES[r.status]}${r.immutables > 0 ? ` (${r.immutables} immutable slot(s) from chain)` : ""}${r.detail === undefined ? "" : `: ${r.detail}`}`,
        ]),
      ),
    );
    const bad = result.rows.filter((r) => !codeOk(r));
    this.line(
      bad.length === 0
        ? paint(this.color, "green", "\nEvery recorded address holds its compiled code.")
        : paint(this.color, "red", `\n${bad.length} address(es) do not hold their compiled code: do not trust them.`),
    );
  }

  /**
   * Prints what a view module renders (src/ui/*-view.ts), or `json` in JSON mode: views build
   * text, only the reporter writes it.
   */
  render(view: (color: boolean) => string, json: unknown): void {
    this.line(this.json ? toJson(json) : view(this.color));
  }

  /** `release gas`: the estimate as a table, or JSON. */
  gasEstimate(network: string, estimate: TransactionCostEstimate): void {
    this.render(gasEstimateView(network, estimate), { network, ...estimate });
  }

  /** `release rpc-health`: one row per endpoint, or JSON. */
  rpcHealth(health: RpcHealthResult): void {
    this.render(rpcHealthView(health), health);
  }

  private line(text: string): void {
    this.write(`${text}\n`);
  }
}

const VERIFY_OUTCOMES: Record<VerifyStackResult["rows"][number]["outcome"], string> = {
  verified: "verified",
  "already-verified": "already verified",
  "previously-verified": "verified (earlier run)",
  "not-indexed": "not indexed yet",
  failed: "FAILED",
};

const CODE_MATCHES: Record<CodeCheckRow["status"], string> = {
  exact: "exact",
  "metadata-differs": "matches except metadata",
  mismatch: "MISMATCH",
  "no-code": "NO CODE",
};

function codeOk(row: CodeCheckRow): boolean {
  return row.status === "exact" || row.status === "metadata-differs";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
