import { z } from "zod";

import { ERRORS, ReleaseError } from "../errors.js";
import { readJsonFile, toStableJson, writeFileAtomic } from "../records/json-file.js";
import type { Alert } from "./alert.js";

/** Recent headers kept for reorg detection, beyond the confirmation depth. */
export const KEPT_HEADERS = 64;

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const alertSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    severity: z.enum(["info", "warning", "critical"]),
    status: z.enum(["raised", "resolved", "retracted"]),
    network: z.string(),
    chainId: z.number(),
    block: z.number().nullable(),
    txHash: hex.nullable(),
    title: z.string(),
    details: z.array(z.string()),
    action: z.string().nullable(),
    at: z.string(),
  })
  .passthrough();

const stateSchema = z.object({
  schemaVersion: z.literal(1),
  chainId: z.number().int(),
  /** The last block whose events were reported. */
  cursor: z.number().int().nonnegative(),
  /** Headers seen, oldest first: where the chain was, to notice when it changes under us. */
  headers: z.array(z.object({ number: z.number().int(), hash: hex })),
  /** Event alerts of recent blocks: retracted if a reorg drops their block. */
  recent: z.array(z.object({ id: z.string(), block: z.number().int(), kind: z.string(), title: z.string() })),
  /** Conditions raised and not resolved yet, by id. */
  conditions: z.record(alertSchema),
  /** Alerts decided but not delivered to every sink yet. */
  outbox: z.array(z.object({ alert: alertSchema, sinks: z.array(z.string()) })),
  /** Outcomes (1 = failed) of the latest transactions to the governed contracts. */
  outcomes: z.array(z.union([z.literal(0), z.literal(1)])),
  /** The block of the last full re-check of the stack. */
  lastCheck: z.number().int(),
});

export type WatchState = Omit<z.output<typeof stateSchema>, "conditions" | "outbox"> & {
  conditions: Record<string, Alert>;
  outbox: Array<{ alert: Alert; sinks: string[] }>;
};

export function freshState(chainId: number, cursor: number): WatchState {
  return {
    schemaVersion: 1,
    chainId,
    cursor,
    headers: [],
    recent: [],
    conditions: {},
    outbox: [],
    outcomes: [],
    lastCheck: -1,
  };
}

/** The watcher's state, or undefined on a first run; RS7002 when the file is unreadable. */
export async function readWatchState(file: string): Promise<WatchState | undefined> {
  const raw = await readJsonFile(file);
  if (raw === undefined) return undefined;
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReleaseError(ERRORS.RECORDS.CORRUPT, { file, reason: `${issue.path.join(".")}: ${issue.message}` });
  }
  return parsed.data as WatchState;
}

/** Written atomically: a watcher killed at any point finds the old state or the new one. */
export async function writeWatchState(file: string, state: WatchState): Promise<void> {
  await writeFileAtomic(file, toStableJson(state));
}
