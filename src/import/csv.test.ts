import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type CsvRow, detectDelimiter, readCsv } from "./csv.ts";

const dir = mkdtempSync(join(tmpdir(), "sos-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function rows(path: string): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const r of (await readCsv(path)).rows) out.push(r);
  return out;
}

describe("reading the files agencies have", () => {
  test("UTF-8 with a BOM, semicolons (Excel in much of Europe), CRLF, a quoted line break and a quoted ;", async () => {
    const path = file(
      '\uFEFFcase_id;child_name;closing_note\r\n12345;"Anne-Marie\r\nO\'Neill";"moved; then back"\r\n12346;Zoë Brontë;""\r\n',
    );
    const reading = await readCsv(path);
    expect(reading.delimiter).toBe(";");
    const got: CsvRow[] = [];
    for await (const r of reading.rows) got.push(r);
    expect(got).toEqual([
      { row: 1, fields: ["case_id", "child_name", "closing_note"] },
      { row: 2, fields: ["12345", "Anne-Marie\r\nO'Neill", "moved; then back"] },
      { row: 3, fields: ["12346", "Zoë Brontë", ""] },
    ]);
    expect(reading.sha256()).toMatch(/^[0-9a-f]{64}$/);
  });

  test("commas, LF, no BOM; a comma inside quotes stays in its value", async () => {
    expect(await rows(file('case_id,abuse_types\n12345,"N, PA"\n'))).toEqual([
      { row: 1, fields: ["case_id", "abuse_types"] },
      { row: 2, fields: ["12345", "N, PA"] },
    ]);
  });

  test("rows are numbered as a spreadsheet shows them: an empty line is a row, a quoted line break is not", async () => {
    const got = await rows(file('a,b\n1,"x\ny\nz"\n\n2,w\n,\n3,v\n'));
    expect(got.map((r) => [r.row, r.fields[0]])).toEqual([
      [1, "a"],
      [2, "1"],
      // row 3 is empty; row 5 holds only empty values: both skipped, their numbers kept
      [4, "2"],
      [6, "3"],
    ]);
  });

  test('a "sep=;" first line says the delimiter and is not a row (Excel hides it too)', async () => {
    const got = await rows(file("sep=;\r\ncase_id;service\r\n12345;cp\r\n"));
    expect(got).toEqual([
      { row: 1, fields: ["case_id", "service"] },
      { row: 2, fields: ["12345", "cp"] },
    ]);
  });

  test("an unclosed quote names the row it starts on", async () => {
    await expect(rows(file('case_id,child_name\n1,ok\n2,"never closed\n3,x\n'))).rejects.toMatchObject({
      name: "CsvFileError",
      row: 3,
      message: expect.stringContaining("never closed"),
    });
  });

  test("a file that is not UTF-8 (Windows-1252 é) is refused with what to do, not read as mojibake", async () => {
    const latin1 = Buffer.from("case_id,child_name\n1,Ren\xe9e\n", "latin1");
    await expect(rows(file(latin1))).rejects.toMatchObject({
      name: "CsvFileError",
      row: null,
      message: expect.stringContaining("CSV UTF-8"),
    });
  });

  test.each([
    ["case_id,child_name,age", ","],
    ["case_id;child_name;age", ";"],
    // the header's own delimiter wins, whatever a quoted name holds
    ['"case;id",child_name', ","],
    ['"a,b";c;d', ";"],
  ])("the delimiter of %j is %j", (line, delimiter) => {
    expect(detectDelimiter(line).delimiter).toBe(delimiter);
  });
});
