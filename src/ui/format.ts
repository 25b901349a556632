import { styleText } from "node:util";

export type Style = Parameters<typeof styleText>[0];

/** Colours only when writing to a terminal, never in JSON or piped output. */
export function paint(enabled: boolean, style: Style, text: string): string {
  return enabled ? styleText(style, text) : text;
}

/** A plain text table: a header row, aligned columns, two spaces between them. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** JSON for machines: bigints as decimal strings, two-space indent. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function formatGas(gas: bigint | undefined): string {
  return gas === undefined ? "" : gas.toLocaleString("en-US");
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Unix seconds to an ISO time; "-" for none. */
export function formatTime(seconds: number | null): string {
  return seconds === null ? "-" : new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

// C0 controls but newline and tab, DEL, C1 controls (ESC among them): what a terminal obeys.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A copy of `value` whose strings cannot steer a terminal: records and decoded calldata are input,
 * and a name carrying "\r" or an escape sequence could overwrite or hide the line that warns of it.
 */
export function sanitize<T>(value: T): T {
  if (typeof value === "string") return value.replace(CONTROL, "\uFFFD") as T;
  if (Array.isArray(value)) return value.map((v: unknown) => sanitize(v)) as T;
  const prototype: unknown = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || (prototype === null && typeof value === "object")) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [sanitize(k), sanitize(v)])) as T;
  }
  return value;
}
