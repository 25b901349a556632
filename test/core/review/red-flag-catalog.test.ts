import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { RED_FLAG_CATALOG } from "../../../src/core/review/red-flag-catalog.js";

const CORE = path.join(import.meta.dirname, "../../../src/core");

describe("the red flag catalog", function () {
  it("documents every code the review and the kinds can raise, once, in order", async function () {
    const files = (await readdir(CORE, { recursive: true }))
      .filter((f) => f.endsWith(".ts") && !f.endsWith("red-flag-catalog.ts"))
      .map((f) => path.join(CORE, f));
    const raised = new Set<string>();
    for (const file of files) {
      for (const m of (await readFile(file, "utf8")).matchAll(/"(RF-\d{3})"/g)) raised.add(m[1]!);
    }
    expect(RED_FLAG_CATALOG.map((e) => e.code)).to.deep.equal([...raised].sort());
  });
});
