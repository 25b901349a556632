import { table } from "../format.js";
import type { View } from "../output.js";

/** One table of `npm run bench`. */
export interface BenchSection {
  title: string;
  header: string[];
  rows: string[][];
  notes?: string[];
}

/** A benchmark's tables, as `npm run bench` prints them. */
export const benchView: View<{ name: string; sections: BenchSection[] }> = {
  text: ({ name, sections }) =>
    [
      `\n=== ${name} ===`,
      ...sections.map((s) =>
        [`\n${s.title}\n`, table(s.header, s.rows), ...(s.notes ?? []).map((n) => `  * ${n}`)].join("\n"),
      ),
    ].join("\n"),
};
