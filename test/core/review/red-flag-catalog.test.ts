import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { RED_FLAG_CATALOG } from "../../../src/core/review/red-flag-catalog.js";

describe("the red flag catalog", function () {
  it("documents every code the review can raise, once, in order", async function () {
    const source = await readFile(path.join(import.meta.dirname, "../../../src/core/review/find-red-flags.ts"), "utf8");
    const raised = [...new Set([...source.matchAll(/"(RF-\d{3})"/g)].map((m) => m[1]))].sort();
    expect(RED_FLAG_CATALOG.map((e) => e.code)).to.deep.equal(raised);
  });
});
