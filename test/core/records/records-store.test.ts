import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ERRORS, ReleaseError } from "../../../src/core/errors.js";
import { toStableJson, writeFileAtomic } from "../../../src/core/records/json-file.js";
import { lockRecords } from "../../../src/core/records/lock-records.js";
import { openRecords } from "../../../src/core/records/records-store.js";

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "release-safety-records-"));
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return ReleaseError.is(error) ? error.code : String(error);
  }
}

const entry = {
  type: "dropped",
  step: "s",
  from: "0x0000000000000000000000000000000000000001",
  nonce: 0,
  reason: "r",
  at: "t",
} as const;

describe("records", function () {
  it("serializes with sorted keys at every depth and a trailing newline", function () {
    expect(toStableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).to.equal(
      '{\n  "a": {\n    "c": 0,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it("writes atomically and leaves no temp file behind", async function () {
    const dir = await tempDir();
    await writeFileAtomic(path.join(dir, "a.json"), "one\n");
    await writeFileAtomic(path.join(dir, "a.json"), "two\n");
    expect(await readFile(path.join(dir, "a.json"), "utf8")).to.equal("two\n");
    expect(await readdir(dir)).to.deep.equal(["a.json"]);
  });

  it("reports no stack for an empty folder", async function () {
    expect(await openRecords(await tempDir()).readStack()).to.equal(undefined);
  });

  it("refuses a stack file that is not JSON (RS7002)", async function () {
    const records = openRecords(await tempDir());
    await writeFile(records.stackFile, "{ not json");
    expect(await errorCode(records.readStack())).to.equal(ERRORS.RECORDS.CORRUPT.code);
  });

  it("refuses a stack file with missing fields (RS7002)", async function () {
    const records = openRecords(await tempDir());
    await writeFile(records.stackFile, JSON.stringify({ schemaVersion: 1, network: "x" }));
    expect(await errorCode(records.readStack())).to.equal(ERRORS.RECORDS.CORRUPT.code);
  });

  it("refuses a stack file of another schema version (RS7004)", async function () {
    const records = openRecords(await tempDir());
    await writeFile(records.stackFile, JSON.stringify({ schemaVersion: 99 }));
    expect(await errorCode(records.readStack())).to.equal(ERRORS.RECORDS.UNSUPPORTED_SCHEMA.code);
  });

  it("skips a journal line torn by a crash, but only the last one", async function () {
    const records = openRecords(await tempDir());
    await records.appendJournal(entry);
    await writeFile(records.journalFile, `${JSON.stringify(entry)}\n{"type":"int`, { flag: "w" });
    expect(await records.readJournal()).to.have.length(1);
    await writeFile(records.journalFile, `{"type":"int\n${JSON.stringify(entry)}\n`);
    expect(await errorCode(records.readJournal())).to.equal(ERRORS.RECORDS.CORRUPT.code);
  });

  it("lets only one command hold the lock (RS7001)", async function () {
    const dir = await tempDir();
    const release = await lockRecords(dir);
    expect(await errorCode(lockRecords(dir))).to.equal(ERRORS.RECORDS.LOCKED.code);
    await release();
    const again = await lockRecords(dir);
    await again();
  });

  it("takes over a lock left by a process that died", async function () {
    const dir = await tempDir();
    const { hostname } = await import("node:os");
    // pid 2^22 + 1 is above Linux's pid_max default range, so no live process has it.
    await writeFile(path.join(dir, ".lock"), JSON.stringify({ pid: 4194305, host: hostname(), since: "earlier" }));
    const release = await lockRecords(dir);
    await release();
  });
});
