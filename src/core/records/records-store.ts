import { appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { ERRORS, ReleaseError } from "../errors.js";
import { readJsonFile, toStableJson, writeFileAtomic } from "./json-file.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import type { JournalEntry } from "./journal.js";
import { describeSchemaError, proposalRecordSchema, stackRecordSchema } from "./record-schemas.js";
import { SCHEMA_VERSION, type StackDraft, type StackRecord } from "./stack-record.js";

/** The records of one network: `stack.json`, `journal.jsonl`, and (later) `proposals/`. */
export interface RecordsStore {
  readonly dir: string;
  readonly stackFile: string;
  readonly journalFile: string;
  /** The stack as recorded, or undefined when nothing was deployed yet. RS7002/RS7004 when unreadable. */
  readStack(): Promise<StackDraft | undefined>;
  /** Atomically replaces stack.json; returns false (and writes nothing) when the content is unchanged. */
  writeStack(stack: StackDraft | StackRecord): Promise<boolean>;
  appendJournal(entry: JournalEntry): Promise<void>;
  readJournal(): Promise<JournalEntry[]>;
  /** `proposals/<id>.json`, or undefined when there is no such proposal. RS7002 when unreadable. */
  readProposal(id: string): Promise<ProposalRecord | undefined>;
  /**
   * Every readable proposal, oldest first (ids start with a sequence number). A file that cannot be
   * read is skipped, never fatal (one bad file in a pull request must not stop the guardian's
   * pause); `unreadableProposals` names them.
   */
  listProposals(): Promise<ProposalRecord[]>;
  /** The proposal files the last listProposals skipped, with why. */
  unreadableProposals(): Array<{ file: string; reason: string }>;
  writeProposal(proposal: ProposalRecord): Promise<void>;
}

export function openRecords(dir: string): RecordsStore {
  const stackFile = path.join(dir, "stack.json");
  const journalFile = path.join(dir, "journal.jsonl");

  async function readStack(): Promise<StackDraft | undefined> {
    const raw = await readJsonFile(stackFile);
    if (raw === undefined) return undefined;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new ReleaseError(ERRORS.RECORDS.CORRUPT, { file: stackFile, reason: "it is not a JSON object" });
    }
    const record = raw as Partial<StackDraft>;
    if (record.schemaVersion !== SCHEMA_VERSION) {
      throw new ReleaseError(ERRORS.RECORDS.UNSUPPORTED_SCHEMA, {
        file: stackFile,
        version: String(record.schemaVersion),
        supported: SCHEMA_VERSION,
      });
    }
    const parsed = stackRecordSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ReleaseError(ERRORS.RECORDS.CORRUPT, { file: stackFile, reason: describeSchemaError(parsed.error) });
    }
    return record as StackDraft;
  }

  async function writeStack(stack: StackDraft | StackRecord): Promise<boolean> {
    const content = toStableJson(stack);
    const current = await readFile(stackFile, "utf8").catch(() => undefined);
    if (current === content) return false;
    await writeFileAtomic(stackFile, content);
    return true;
  }

  async function appendJournal(entry: JournalEntry): Promise<void> {
    await mkdir(dir, { recursive: true });
    // One line per entry, appended with O_APPEND: a crash can only lose the line being written,
    // and readJournal() skips a torn last line.
    await appendFile(journalFile, `${JSON.stringify(entry)}\n`);
  }

  async function readJournal(): Promise<JournalEntry[]> {
    const text = await readFile(journalFile, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    const entries: JournalEntry[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch (error) {
        if (i === lines.length - 1) break; // torn write of the last line during a crash
        throw new ReleaseError(ERRORS.RECORDS.CORRUPT, {
          file: journalFile,
          reason: `line ${i + 1}: ${(error as Error).message}`,
        });
      }
    }
    return entries;
  }

  const proposalsDir = path.join(dir, "proposals");
  const proposalFile = (id: string) => path.join(proposalsDir, `${id}.json`);

  async function readProposal(id: string): Promise<ProposalRecord | undefined> {
    // Ids are file names: refuse anything that could walk out of the folder.
    if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith(".")) return undefined;
    const raw = await readJsonFile(proposalFile(id));
    if (raw === undefined) return undefined;
    const record = raw as Partial<ProposalRecord>;
    if (record.schemaVersion !== SCHEMA_VERSION) {
      throw new ReleaseError(ERRORS.RECORDS.UNSUPPORTED_SCHEMA, {
        file: proposalFile(id),
        version: String(record.schemaVersion),
        supported: SCHEMA_VERSION,
      });
    }
    const parsed = proposalRecordSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ReleaseError(ERRORS.RECORDS.CORRUPT, {
        file: proposalFile(id),
        reason: describeSchemaError(parsed.error),
      });
    }
    if (record.id !== id) {
      throw new ReleaseError(ERRORS.RECORDS.CORRUPT, {
        file: proposalFile(id),
        reason: `its id "${String(record.id)}" is not its file name`,
      });
    }
    return record as ProposalRecord;
  }

  let unreadable: Array<{ file: string; reason: string }> = [];

  async function listProposals(): Promise<ProposalRecord[]> {
    const names = await readdir(proposalsDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [] as string[];
      throw error;
    });
    const ids = names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -".json".length));
    const skipped: Array<{ file: string; reason: string }> = [];
    const proposals = await Promise.all(
      ids.sort().map(async (id) => {
        try {
          return await readProposal(id);
        } catch (error) {
          if (!ReleaseError.is(error)) throw error;
          skipped.push({ file: proposalFile(id), reason: error.message.split("\nHint:")[0]! });
          return undefined;
        }
      }),
    );
    unreadable = skipped;
    return proposals.filter((p): p is ProposalRecord => p !== undefined);
  }

  async function writeProposal(proposal: ProposalRecord): Promise<void> {
    await writeFileAtomic(proposalFile(proposal.id), toStableJson(proposal));
  }

  return {
    dir,
    stackFile,
    journalFile,
    readStack,
    writeStack,
    appendJournal,
    readJournal,
    readProposal,
    listProposals,
    unreadableProposals: () => unreadable,
    writeProposal,
  };
}
