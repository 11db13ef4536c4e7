import fc from "fast-check";
import { expect, test } from "vitest";
import { table } from "./text.ts";

/** `table` as it was written with arrays per column and per line: the layout must not move. */
function referenceTable(
  headers: readonly string[],
  body: readonly (readonly string[] | { section: string })[],
) {
  const rows = body.filter((r): r is readonly string[] => Array.isArray(r));
  const wrap = (label: string, width: number) => {
    const lines: string[] = [];
    let line = "";
    for (const w of label.split(/\s+/)) {
      if (line === "") line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    if (line !== "") lines.push(line);
    return lines;
  };
  const widths = headers.map((h, i) => {
    const cells = Math.max(0, ...rows.map((r) => (r[i] ?? "").length));
    const longestWord = Math.max(0, ...h.split(/\s+/).map((w) => w.length));
    return Math.max(cells, longestWord, Math.min(h.length, 8));
  });
  const wrapped = headers.map((h, i) => wrap(h, widths[i]!));
  const depth = Math.max(1, ...wrapped.map((w) => w.length));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out: string[] = [];
  for (let d = 0; d < depth; d++) out.push(line(wrapped.map((w) => w[w.length - depth + d] ?? "")));
  out.push(line(widths.map((w) => "-".repeat(w))));
  for (const r of body) out.push(Array.isArray(r) ? line(r) : (r as { section: string }).section);
  return out.join("\n");
}

const text = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.constantFrom("", " ", "Yes", "3 times, last 20/01/16", "a  b "),
);

test("tables lay out as they did: widths, wrapped headers, padding, sections, rows shorter or longer than the headers", () => {
  fc.assert(
    fc.property(
      fc.array(text, { minLength: 1, maxLength: 6 }),
      fc.array(
        fc.oneof(
          fc.array(text, { maxLength: 8 }),
          text.map((section) => ({ section })),
        ),
        { maxLength: 12 },
      ),
      (headers, body) => {
        expect(table(headers, body)).toBe(referenceTable(headers, body));
      },
    ),
    { numRuns: 2000 },
  );
});
