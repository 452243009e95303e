import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AuditFile } from './audit-files';
import type { ParsedLine } from './audit-line';
import { parseLine } from './audit-line';
import { MAX_LINE_BYTES } from './audit-record';

export interface SourceLine {
  /** File name (not path) and 1-based line number within it. */
  file: string;
  line: number;
  text: string;
  /** false for bytes after the last newline of the last file (a torn write). */
  complete: boolean;
  /** true when the line exceeded the size limit; `text` is then empty. */
  oversized: boolean;
}

const CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;
const parsedCache = new WeakMap<SourceLine, ParsedLine>();

/** Parses once per line even when the verifier looks at it several times (lookahead). */
export function parsedOf(line: SourceLine): ParsedLine {
  let parsed = parsedCache.get(line);
  if (parsed === undefined) {
    parsed = line.oversized ? { ok: false, detail: 'line longer than the record size limit' } : parseLine(line.text);
    parsedCache.set(line, parsed);
  }
  return parsed;
}

/**
 * Reads the lines of a log's files in chain order with a bounded lookahead, in 1 MiB chunks so
 * memory stays flat however large the log is.
 */
export class LineSource {
  private readonly ahead: SourceLine[] = [];
  private fileIdx = -1;
  private handle: FileHandle | null = null;
  private rest: Buffer = Buffer.alloc(0);
  private skipping = false;
  private lineNo = 0;
  private eof = false;

  constructor(private readonly files: readonly AuditFile[], startFile = 0) {
    this.fileIdx = startFile - 1;
  }

  async next(): Promise<SourceLine | undefined> {
    if (this.ahead.length === 0) await this.fill(1);
    return this.ahead.shift();
  }

  /** Up to `count` lines after the current one, without consuming them. */
  async peek(count: number): Promise<SourceLine[]> {
    await this.fill(count);
    return this.ahead.slice(0, count);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }

  private async fill(count: number): Promise<void> {
    while (this.ahead.length < count && !this.eof) await this.readMore();
  }

  private async readMore(): Promise<void> {
    if (this.handle === null) {
      const file = this.files[++this.fileIdx];
      if (file === undefined) {
        this.eof = true;
        return;
      }
      this.handle = await open(file.path, 'r');
      this.lineNo = 0;
    }
    const chunk = Buffer.alloc(CHUNK);
    const { bytesRead } = await this.handle.read(chunk, 0, CHUNK, null);
    const name = basename((this.files[this.fileIdx] as AuditFile).path);
    if (bytesRead === 0) {
      if (this.rest.length > 0 && !this.skipping) this.push(name, this.rest, false);
      this.rest = Buffer.alloc(0);
      this.skipping = false;
      await this.close();
      return;
    }
    let data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      if (this.skipping) this.skipping = false;
      else this.push(name, data.subarray(start, nl), true);
      start = nl + 1;
    }
    data = data.subarray(start);
    if (data.length > MAX_LINE_BYTES && !this.skipping) {
      // Bound memory: report the line as oversized now and drop its bytes up to the next newline.
      this.push(name, Buffer.alloc(0), true, true);
      this.skipping = true;
    }
    this.rest = this.skipping ? Buffer.alloc(0) : Buffer.from(data);
  }

  private push(file: string, bytes: Buffer, complete: boolean, oversized = false): void {
    this.lineNo += 1;
    this.ahead.push({ file, line: this.lineNo, text: bytes.toString('utf8'), complete, oversized });
  }
}
