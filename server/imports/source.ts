import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';

/**
 * The rows of an uploaded file, one at a time as the bytes arrive (never the whole file in
 * memory): CSV with a header line (csv-parse), or JSON lines. Each row comes with its line number
 * in the file, for the error report. A row that cannot be read (a JSON syntax error, a CSV row with
 * the wrong number of cells) comes as a problem for that line; a file that cannot be read at all
 * (broken quoting, the upload cut) ends the iteration with an error.
 */
export type SourceRow = { line: number; record: Record<string, unknown> } | { line: number; problem: { path: string; message: string } };

export class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

export async function* csvRows(input: Readable): AsyncGenerator<SourceRow> {
  const parser = input.pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 1_000_000 }));
  input.on('error', (err) => parser.destroy(err));
  let header: string[] | null = null;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = record.map((h) => h.trim().toLowerCase());
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, problem: { path: '', message: `expected ${header.length} cells (${header.join(', ')}), found ${record.length}` } };
      continue;
    }
    yield { line: info.lines, record: Object.fromEntries(header.map((h, i) => [h, record[i]])) };
  }
}

export async function* jsonLines(input: Readable): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let failed: Error | null = null;
  input.on('error', (err) => {
    failed = err;
    lines.close();
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, problem: { path: '', message: `not JSON: ${(err as Error).message}` } };
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) yield { line, problem: { path: '', message: 'expected one JSON object per line' } };
    else yield { line, record: value as Record<string, unknown> };
  }
  if (failed) throw failed;
}
