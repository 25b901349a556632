import { readFile, stat } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { ERRORS, type ErrorDescriptor } from "../../src/core/errors.js";
import { renderAlerts, renderErrors, renderRedFlags, renderReference } from "../../scripts/docs/render-reference.js";
import { WatchMetrics } from "../../src/core/watch/watch-metrics.js";

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

  it("docs/alerts.md is the watcher's alert kinds", async function () {
    expect(await page("alerts.md"), `docs/alerts.md ${STALE}`).to.equal(renderAlerts());
  });

  it("the Prometheus rules and the Grafana dashboard use only metrics the watcher exports", async function () {
    const exported = new Set(
      new WatchMetrics({ network: "x", chainId: 1 }).registry.getMetricsAsArray().map((m) => m.name),
    );
    const rules = await page("monitoring/prometheus-rules.yml");
    const dashboard = await page("monitoring/grafana-dashboard.json");
    JSON.parse(dashboard);
    const used = [...`${rules}\n${dashboard}`.matchAll(/release_watch_[a-z_]+/g)].map((m) => m[0]);
    expect(used.length).to.be.greaterThan(10);
    expect(used.filter((name) => !exported.has(name))).to.deep.equal([]);
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
