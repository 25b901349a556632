import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

const SRC = path.resolve(import.meta.dirname, "../src");

/** Every static relative import of every module under src/, as a graph of absolute paths. */
async function importGraph(): Promise<Map<string, string[]>> {
  const files = (await readdir(SRC, { recursive: true }))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(SRC, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const targets = [...text.matchAll(/^(?:import|export)[^;]*?from "(\.{1,2}\/[^"]+)\.js";/gms)]
      .filter((m) => !/^import type|^export type/.test(m[0]))
      .map((m) => path.resolve(path.dirname(file), `${m[1]}.ts`));
    graph.set(file, targets);
  }
  return graph;
}

describe("layering", function () {
  it("has no import cycles in src/ (type-only imports aside)", async function () {
    const graph = await importGraph();
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(" -> "));
        return;
      }
      state.set(file, "visiting");
      stack.push(file);
      for (const next of graph.get(file) ?? []) visit(next);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file);
    expect(cycles).to.deep.equal([]);
  });

  it("keeps the core free of Hardhat, the plugin and the UI", async function () {
    const graph = await importGraph();
    const core = [...graph.entries()].filter(([file]) => file.startsWith(path.join(SRC, "core")));
    const outside = core.flatMap(([file, targets]) =>
      targets
        .filter((t) => !t.startsWith(path.join(SRC, "core")))
        .map((t) => `${path.relative(SRC, file)} -> ${path.relative(SRC, t)}`),
    );
    expect(outside).to.deep.equal([]);
    for (const [file] of core) expect(await readFile(file, "utf8"), file).to.not.match(/from "hardhat(\/|")/);
  });
});
