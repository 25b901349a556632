import { hostname } from "node:os";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { ERRORS, ReleaseError } from "../errors.js";

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of a records folder, so two release commands never interleave writes or nonces
 * on one network. The lock file names its owner; a lock left by a dead process on this host is
 * taken over (a crash must not block the re-run that repairs it), any other lock is refused.
 *
 * @returns a function that releases the lock.
 */
export async function lockRecords(dir: string, now: () => Date = () => new Date()): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const lockFile = path.join(dir, ".lock");
  const me: LockOwner = { pid: process.pid, host: hostname(), since: now().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return async () => {
        await rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(await readFile(lockFile, "utf8")) as LockOwner;
    } catch {
      owner = undefined; // unreadable: written by a process that died mid-write
    }
    const stale = owner === undefined || (owner.host === me.host && !isAlive(owner.pid));
    if (!stale || attempt > 0) {
      throw new ReleaseError(ERRORS.RECORDS.LOCKED, {
        pid: owner?.pid ?? "unknown",
        since: owner?.since ?? "unknown",
        dir,
        lockFile,
      });
    }
    await rm(lockFile, { force: true });
  }
}
