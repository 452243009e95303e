import { open } from 'node:fs/promises';

const CHUNK = 256 * 1024;
const NEWLINE = 0x0a;

/**
 * Yields the complete lines of a file from the last to the first, reading fixed-size chunks from
 * the end, so "the last 50 records" costs a few reads however large the file is. Bytes after the
 * final newline (a torn write) are not a line and are skipped; a single line longer than
 * `maxLineBytes` is skipped rather than buffered.
 */
export async function* linesBackward(path: string, maxLineBytes: number): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    let position = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    let sawNewline = false;
    // Set while skipping the rest (towards the start of the file) of an over-long line.
    let dropping = false;
    while (position > 0) {
      const size = Math.min(CHUNK, position);
      position -= size;
      const chunk = Buffer.alloc(size);
      await handle.read(chunk, 0, size, position);
      let data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      let end = data.length;
      for (let nl = data.lastIndexOf(NEWLINE, end - 1); nl !== -1; nl = end > 0 ? data.lastIndexOf(NEWLINE, end - 1) : -1) {
        if (sawNewline && !dropping && end - nl - 1 <= maxLineBytes) yield data.toString('utf8', nl + 1, end);
        sawNewline = true;
        dropping = false;
        end = nl;
      }
      data = data.subarray(0, end);
      if (data.length > maxLineBytes) dropping = true;
      carry = dropping ? Buffer.alloc(0) : Buffer.from(data);
    }
    if (sawNewline && !dropping && carry.length > 0) yield carry.toString('utf8');
  } finally {
    await handle.close();
  }
}
