import type { ReleaseEvent } from "../core/events.js";
import type { Alert } from "../core/watch/alert.js";
import type { VerifyEvent } from "../core/verify/verify-stack.js";
import { formatGas, paint, sanitize, toJson } from "./format.js";
import { txFeesLine } from "./views/gas-view.js";
import { alertLine } from "./views/watch-view.js";
import { VERIFY_OUTCOMES } from "./views/verify-view.js";

/** What a view needs besides the result: colours, and how to spell a command that works as printed. */
export interface ViewContext {
  color: boolean;
  network: string;
  /** `npx hardhat <words> --network <network>`: every hint the CLI prints is a command that runs. */
  command(...words: string[]): string;
}

/** How one kind of result reads: as text (always), as Markdown (some), and whether it is good news. */
export interface View<R> {
  text(result: R, ctx: ViewContext): string;
  markdown?(result: R, ctx: ViewContext): string;
  /** The JSON document, when it is not the result itself. */
  json?(result: R): unknown;
  /** Print the JSON document on one line (a command whose output is JSON lines). */
  jsonLine?: boolean;
  /** False turns the command's exit code to 1 (a danger, a drift, a failed rehearsal). */
  ok?(result: R): boolean;
}

export type Format = "text" | "json" | "markdown";

export interface OutputOptions {
  format?: Format;
  network: string;
  /** Where output goes; standard output by default. */
  write?: (text: string) => void;
  color?: boolean;
}

/**
 * The one place that prints. Commands hand it the core's events while they run (one line each,
 * nothing in JSON or Markdown mode) and their result at the end, which a view renders as text or
 * Markdown, or which is printed as JSON; with --json, stdout holds nothing but that document.
 * A closed pipe (`| head`) ends the command quietly.
 */
export class Output {
  readonly format: Format;
  readonly context: ViewContext;
  private readonly write: (text: string) => void;
  private readonly color: boolean;

  constructor(options: OutputOptions) {
    this.format = options.format ?? "text";
    this.write = options.write ?? writeStdout;
    this.color =
      options.color ?? (options.write === undefined && process.stdout.isTTY === true && this.format === "text");
    const network = options.network;
    this.context = {
      color: this.color,
      network,
      command: (...words) => `npx hardhat ${words.join(" ")} --network ${network}`,
    };
  }

  /** Renders a core event as one line (nothing in JSON or Markdown mode). */
  readonly onEvent = (raw: ReleaseEvent): void => {
    if (this.format !== "text") return;
    const event = sanitize(raw);
    const c = this.color;
    switch (event.type) {
      case "step-start":
        return this.line(`${paint(c, "cyan", "…")} ${capitalize(event.title)}`);
      case "tx-sent":
        return this.line(`  ${paint(c, "dim", `sent ${event.hash} (nonce ${event.nonce})`)}`);
      case "tx-confirmations":
        return this.line(`  ${paint(c, "dim", `${event.step}: ${event.blocks} of ${event.needed} blocks`)}`);
      case "tx-fees":
        return this.line(`  ${paint(c, "dim", txFeesLine(event.estimate))}`);
      case "step-done": {
        const mark = event.outcome === "sent" ? paint(c, "green", "✓") : paint(c, "dim", "=");
        const what = event.outcome === "existing" ? "already there" : event.address ? "deployed" : "sent";
        const gas = event.gasUsed === undefined ? "" : `, gas ${formatGas(event.gasUsed)}`;
        const at = event.address ? ` at ${event.address}` : "";
        return this.line(`${mark} ${capitalize(event.title)} ${paint(c, "dim", `${what}${at}${gas}`)}`);
      }
      case "warning":
        return this.line(`${paint(c, "yellow", "!")} ${event.message}`);
      case "followed":
        return this.line(
          `${paint(c, "yellow", "!")} ${event.proposal}: the ${event.phase} phase was ${event.what} ${event.outside ? "outside this toolkit" : "by an earlier run"} (block ${event.block}, ${event.txHash}); the records now say so.`,
        );
    }
  };

  /** `release watch`: one line per alert, or one JSON document per line with --json. */
  readonly onAlert = (raw: Alert): void => {
    if (this.format === "json") return this.line(JSON.stringify(raw));
    if (this.format === "text") this.line(alertLine(sanitize(raw), this.color));
  };

  /** Renders `release verify` progress: one line per contract and explorer. */
  readonly onVerifyEvent = (raw: VerifyEvent): void => {
    if (this.format !== "text") return;
    const event = sanitize(raw);
    const c = this.color;
    switch (event.type) {
      case "verify-start":
        return this.line(`${paint(c, "cyan", "…")} ${event.subject} on ${event.explorer}`);
      case "verify-retry":
        return this.line(
          `  ${paint(c, "dim", `not indexed yet (attempt ${event.attempt}), retrying in ${event.delayMs / 1000}s`)}`,
        );
      case "verify-done": {
        const { row } = event;
        const ok = row.outcome === "verified" || row.outcome === "already-verified";
        const mark =
          row.outcome === "previously-verified"
            ? paint(c, "dim", "=")
            : ok
              ? paint(c, "green", "✓")
              : paint(c, "red", "✗");
        const message = row.message === undefined ? "" : ` (${row.message})`;
        return this.line(`${mark} ${row.subject} on ${row.explorer}: ${VERIFY_OUTCOMES[row.outcome]}${message}`);
      }
      case "verify-skipped-explorer":
        return this.line(`${paint(c, "yellow", "!")} Skipping ${event.explorer}: ${event.reason}`);
    }
  };

  /** A line of narration (text mode only): the demo's story between results. */
  text(text: string): void {
    if (this.format === "text") this.line(text);
  }

  /** A heading before a long-running command's events (text mode only). */
  heading(text: string): void {
    if (this.format === "text") this.line(`\n${paint(this.color, "bold", text)}`);
  }

  /** The command's result, through its view (or as JSON). Returns whether it is good news. */
  result<R>(view: View<R>, result: R): boolean {
    this.line(this.render(view, result));
    return view.ok?.(result) ?? true;
  }

  /** The result as the chosen format would print it, without printing it (e.g. for a report file). */
  render<R>(view: View<R>, result: R, format: Format = this.format): string {
    if (format === "json" && view.jsonLine === true) return JSON.stringify(view.json?.(result) ?? result);
    if (format === "json") return toJson(view.json === undefined ? result : view.json(result));
    // Views only ever see data that cannot steer a terminal (JSON escapes control characters itself).
    if (format === "markdown" && view.markdown !== undefined) return view.markdown(sanitize(result), this.context);
    return view.text(sanitize(result), this.context);
  }

  private line(text: string): void {
    this.write(`${text}\n`);
  }
}

let pipeWatched = false;

/** Writes to stdout; when the reader goes away (`| head`), the command ends quietly. */
function writeStdout(text: string): void {
  if (!pipeWatched) {
    pipeWatched = true;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  process.stdout.write(text);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
