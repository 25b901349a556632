import { readFile, stat } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, type ErrorDescriptor } from "../../src/core/errors.js";
import { renderErrors, renderRedFlags, renderReference } from "../../scripts/docs/render-reference.js";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const page = (name: string) => readFile(path.join(DOCS, name), "utf8");
const STALE = "is stale: run `npm run docs` and commit the result";

describe("docs generated from the code", function () {
  it("docs/reference.md is the task definitions", async function () {
    expect(await page("reference.md"), `docs/reference.md ${STALE}`).to.equal(
      renderReference(hre.tasks.getTask("release")),
    );
  });

  it("docs/errors.md is src/core/errors.ts", async function () {
    expect(await page("errors.md"), `docs/errors.md ${STALE}`).to.equal(renderErrors());
  });

  it("docs/red-flags.md is the review's catalog", async function () {
    expect(await page("red-flags.md"), `docs/red-flags.md ${STALE}`).to.equal(renderRedFlags());
  });

  it("every command a hint suggests names its network, so it runs as printed", function () {
    const hints = Object.values(ERRORS).flatMap((area) => Object.values(area) as ErrorDescriptor[]);
    const bare = hints.filter(
      (d) =>
        /npx hardhat release (?!<task>)[^`]*`/.test(d.hint) &&
        !/npx hardhat release[^`]*--network \{network\}`/.test(d.hint),
    );
    expect(bare.map((d) => d.code)).to.deep.equal([]);
  });

  it("the README stays short: what, quick start, one walk-through, links", async function () {
    expect((await stat(path.resolve(DOCS, "../README.md"))).size).to.be.lessThan(10 * 1024);
  });
});
