import { open, readFile, truncate } from "node:fs/promises";

import type { Alert } from "./alert.js";

/** Where alerts go besides the terminal. `deliver` throws when the alert did not get there. */
export interface AlertSink {
  name: string;
  deliver(alert: Alert): Promise<void>;
}

/**
 * A JSON-lines file: one alert per line. The file is its own record of what was delivered: on
 * start a partial last line (a watcher killed mid-write) is cut, and an alert whose id already
 * has that status as its latest line is never appended again, so a restarted watcher writes every
 * alert exactly once (an alert retracted by a reorg and raised again is written again).
 */
export async function fileSink(file: string): Promise<AlertSink> {
  const latest = new Map<string, Alert["status"]>();
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const complete = text.lastIndexOf("\n") + 1;
  if (complete < text.length) await truncate(file, Buffer.byteLength(text.slice(0, complete)));
  for (const line of text.slice(0, complete).split("\n")) {
    if (line.trim() === "") continue;
    try {
      const alert = JSON.parse(line) as Alert;
      latest.set(alert.id, alert.status);
    } catch {
      // a line that is not an alert is left alone
    }
  }
  return {
    name: `file:${file}`,
    async deliver(alert) {
      if (latest.get(alert.id) === alert.status) return;
      const handle = await open(file, "a");
      try {
        await handle.write(`${JSON.stringify(alert)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      latest.set(alert.id, alert.status);
    },
  };
}

/**
 * A webhook: a JSON POST that Slack-compatible receivers read as a message (`text`) and others as
 * data (`alert`), with an `Idempotency-Key` (the alert's id and status) for receivers that
 * deduplicate. Tried three times, each within five seconds.
 */
export function webhookSink(url: string, label: string): AlertSink {
  return {
    name: `webhook:${label}`,
    async deliver(alert) {
      let failure: unknown;
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": key(alert) },
            body: JSON.stringify({ text: alertText(alert), alert }),
            signal: AbortSignal.timeout(5000),
          });
          await response.body?.cancel().catch(() => undefined);
          if (response.ok) return;
          failure = new Error(`HTTP ${response.status}`);
        } catch (error) {
          failure = error;
        }
      }
      throw failure instanceof Error ? failure : new Error(String(failure));
    },
  };
}

/** An alert in one line of plain text (webhook messages; the terminal has its own view). */
export function alertText(alert: Alert): string {
  const status = alert.status === "raised" ? "" : ` [${alert.status}]`;
  const where =
    alert.block === null ? "" : ` (block ${alert.block}${alert.txHash === null ? "" : `, tx ${alert.txHash}`})`;
  const action = alert.action === null ? "" : ` Next: ${alert.action}`;
  return `[${alert.severity.toUpperCase()}] ${alert.network}: ${alert.title}${where}${status}.${action}`;
}

function key(alert: Alert): string {
  return `${alert.id}#${alert.status}`;
}
