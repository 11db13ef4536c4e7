import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform } from "node:stream";
import { CsvError, parse } from "csv-parse";

/** One row of a file as a spreadsheet numbers it (the header is row 1), with its values. */
export interface CsvRow {
  readonly row: number;
  readonly fields: readonly string[];
}

/** A file that cannot be read as CSV at all, or from some row on: one sentence, and the row if known. */
export class CsvFileError extends Error {
  override name = "CsvFileError";
  constructor(
    message: string,
    readonly row: number | null = null,
  ) {
    super(message);
  }
}

export type Delimiter = "," | ";";

/**
 * The delimiter, from the header line: Excel writes `;` where the decimal mark is a comma (much of
 * Europe), `,` elsewhere, and some exports begin with a `sep=;` line saying which. Only the header is
 * looked at: a `;` inside a note further down must not change how the file is read.
 */
export function detectDelimiter(firstLine: string): { delimiter: Delimiter; sepLine: boolean } {
  const sep = /^sep=([,;])\s*$/i.exec(firstLine);
  if (sep) return { delimiter: sep[1] as Delimiter, sepLine: true };
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return { delimiter: semicolons > commas ? ";" : ",", sepLine: false };
}

/** The file's first line (BOM removed), read without loading the file. */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/**
 * Bytes to text, refusing what is not UTF-8 (an export saved as "CSV (Windows)" turns é into a byte
 * that would otherwise become � in a child's name), and hashing the bytes on the way so the audit
 * can say which file was imported without keeping any of it.
 */
function utf8(hash: ReturnType<typeof createHash>): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(notUtf8());
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(notUtf8());
      }
    },
  });
}

function notUtf8(): CsvFileError {
  return new CsvFileError(
    'it is not UTF-8 text. In Excel, save it with "Save as" and the type "CSV UTF-8 (Comma delimited)", then import that file',
  );
}

/** csv-parse's complaints, as a sentence about the row where they happened. */
function csvProblem(e: CsvError): CsvFileError {
  const records = typeof e.records === "number" ? e.records : null;
  const row = records === null ? null : records + 1;
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new CsvFileError(
        'a value starts with a quote (") that is never closed, so the rest of the file would be read as one value',
        row,
      );
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new CsvFileError(
        'a quoted value has more text after its closing quote ("): write a quote inside a value as two quotes ("")',
        row,
      );
    default:
      return new CsvFileError(`it can't be read as CSV (${e.message.replace(/\.$/, "")})`, row);
  }
}

export interface CsvReading {
  readonly delimiter: Delimiter;
  readonly rows: AsyncGenerator<CsvRow>;
  /** the SHA-256 of the file's bytes, once every row has been read */
  sha256(): string;
}

/**
 * Streams a CSV file with csv-parse: UTF-8 with or without a BOM, `,` or `;` (from the header line),
 * quoted values with line breaks inside, CRLF or LF. Rows are numbered as a spreadsheet shows them:
 * the header is row 1, an empty line is a row, a line break inside quotes is not. Empty rows are
 * skipped (a spreadsheet's trailing blank lines), but keep their numbers.
 */
export async function readCsv(path: string): Promise<CsvReading> {
  const first = await firstLine(path);
  const { delimiter, sepLine } = detectDelimiter(first);
  const hash = createHash("sha256");
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: false,
    from_line: sepLine ? 2 : 1,
  });
  const source = createReadStream(path);
  const decode = utf8(hash);
  source.on("error", (e) => parser.destroy(e));
  decode.on("error", (e) => parser.destroy(e));
  source.pipe(decode).pipe(parser);

  async function* rows(): AsyncGenerator<CsvRow> {
    // Each record the parser gives is one spreadsheet row (an empty line too, as `[""]`), so
    // counting them is the row number; csv-parse's own per-record info cost a tenth of the reading.
    let row = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        row++;
        if (record.every((f) => f.trim() === "")) continue;
        yield { row, fields: record };
      }
    } catch (e) {
      if (e instanceof CsvError) throw csvProblem(e);
      throw e;
    } finally {
      source.destroy();
    }
  }
  let digest: string | null = null;
  return { delimiter, rows: rows(), sha256: () => (digest ??= hash.digest("hex")) };
}
