import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ERRORS, ReleaseError } from "../core/errors.js";
import type { PostUpgradeCheck, PostUpgradeCheckContext } from "../core/rehearsal/rehearse-proposals.js";

/**
 * Loads the project's post-upgrade checks: every `.ts`/`.js` module in `dir` whose default export
 * is an async function of `{ provider, stack, proposal }` that throws to fail. No folder, no checks.
 */
export async function loadChecks(dir: string): Promise<PostUpgradeCheck[]> {
  const files = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  const checks: PostUpgradeCheck[] = [];
  for (const file of files.filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts")).sort()) {
    const full = path.join(dir, file);
    let run: unknown;
    try {
      run = ((await import(pathToFileURL(full).href)) as { default?: unknown }).default;
    } catch (error) {
      throw new ReleaseError(
        ERRORS.REHEARSAL.CHECK_FAILED_TO_LOAD,
        { file: full, reason: (error as Error).message },
        error as Error,
      );
    }
    if (typeof run !== "function") {
      throw new ReleaseError(ERRORS.REHEARSAL.CHECK_FAILED_TO_LOAD, {
        file: full,
        reason: "it has no default export function",
      });
    }
    checks.push({
      name: file.replace(/\.(ts|js|mjs)$/, ""),
      run: run as (c: PostUpgradeCheckContext) => Promise<void>,
    });
  }
  return checks;
}
