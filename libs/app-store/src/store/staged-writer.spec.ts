import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/key-fixture';
import type { FilePart } from '../format/file-part';
import { STAGE_BYTES, STAGE_COUNT, writeStaged } from './staged-writer';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tz-staged-'));
});
afterEach(() => cleanup());

async function withFile<T>(fn: (handle: FileHandle, file: string) => Promise<T>): Promise<T> {
  const file = join(dir, 'out');
  const handle = await open(file, 'w');
  try {
    return await fn(handle, file);
  } finally {
    await handle.close();
  }
}

describe('staged writer', () => {
  it('writes small, stage-sized and large parts in order, byte for byte', async () => {
    // Sizes straddle every branch: tiny parts, parts that exactly fill or overflow a stage, parts
    // written directly (≥ half a stage), and a stream of 64 KiB parts like the GCM steps, long
    // enough to cycle through every stage twice while earlier writes are still queued.
    const stream = Array.from({ length: (2 * STAGE_COUNT * STAGE_BYTES) / (64 * 1024) + 3 }, () => 64 * 1024);
    const sizes = [1, 17, STAGE_BYTES / 2 - 1, STAGE_BYTES / 2, 3, STAGE_BYTES, 5, ...stream, 0, 16];
    const parts = sizes.map((n) => randomBytes(n));
    const expected = Buffer.concat(parts);
    await withFile(async (handle, file) => {
      // Stages are reused, so a part copied into one must not be overwritten before its write ends:
      // the producer mutates nothing, but a second save right after proves the reuse is safe.
      expect(await writeStaged(handle, parts)).toBe(expected.length);
      expect(readFileSync(file).equals(expected)).toBe(true);
    });
    const again = sizes.map((n) => randomBytes(n));
    await withFile(async (handle, file) => {
      await writeStaged(handle, again);
      expect(readFileSync(file).equals(Buffer.concat(again))).toBe(true);
    });
  });

  it('produces deferred parts straight into the stages, in order, and refuses one larger than a stage', async () => {
    // Deferred parts (native encryption) interleaved with byte parts, crossing stage boundaries.
    const chunks = Array.from({ length: 2 * STAGE_COUNT * 4 + 1 }, (_, i) => randomBytes(i % 2 ? 1024 * 1024 : 1000));
    const targets: number[] = [];
    const parts: FilePart[] = chunks.map((chunk, i) => i % 3 === 0 ? chunk : {
      length: chunk.length,
      writeInto(target: Uint8Array) {
        targets.push(target.length);
        target.set(chunk);
      },
    });
    await withFile(async (handle, file) => {
      expect(await writeStaged(handle, parts)).toBe(Buffer.concat(chunks).length);
      expect(readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
    });
    expect(targets).toEqual(chunks.filter((_, i) => i % 3 !== 0).map((c) => c.length));
    await withFile(async (handle) => {
      await expect(writeStaged(handle, [{ length: STAGE_BYTES + 1, writeInto: () => undefined }])).rejects.toThrow(RangeError);
    });
  });

  it('surfaces a failing producer after the write in flight has settled', async () => {
    function* parts(): Generator<Uint8Array> {
      yield randomBytes(STAGE_BYTES - 10);
      yield randomBytes(100); // flushes the first stage: a write is now in flight
      throw new Error('producer failed');
    }
    await withFile(async (handle) => {
      await expect(writeStaged(handle, parts())).rejects.toThrow('producer failed');
    });
  });

  it('surfaces a failing write (read-only handle) as a rejection, not an unhandled one', async () => {
    const file = join(dir, 'ro');
    await (await open(file, 'w')).close();
    const handle = await open(file, 'r');
    try {
      await expect(writeStaged(handle, [randomBytes(STAGE_BYTES), randomBytes(10)])).rejects.toMatchObject({ code: 'EBADF' });
    } finally {
      await handle.close();
    }
  });
});
