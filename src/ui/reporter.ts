import type { ReleaseEvent } from "../core/events.js";
import type { DeployStackResult } from "../core/governance/deploy-stack.js";
import type { StackStatus } from "../core/governance/inspect-stack.js";
import { formatGas, formatTime, paint, table, toJson } from "./format.js";

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
    if (status.ok) {
      this.line(paint(this.color, "green", "\nChain and records agree; the deployer holds no role."));
    } else {
      this.line(
        paint(this.color, "red", `\n${status.findings.length} difference(s) between the chain and what is expected:`),
      );
      for (const f of status.findings) this.line(`  - ${f.subject}: expected ${f.expected}, found ${f.actual}`);
    }
  }

  private line(text: string): void {
    this.write(`${text}\n`);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
