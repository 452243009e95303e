import type { FileHandle } from 'node:fs/promises';
import type { FilePart } from '../format/file-part';
import { isDeferredPart } from '../format/file-part';

/**
 * Writes a stream of parts through a few reused staging buffers, so producing the next parts (AES-GCM
 * steps on the main thread) overlaps with writing the previous ones (a libuv thread), and the bytes
 * land in memory that is already mapped. Written as produced, the cipher's outputs stayed alive
 * until the next GC, so every encrypted save faulted in a payload's worth of new pages, which on a
 * VM that hands freed pages back to the host cost more than the encryption (benchmark app, same
 * machine and run conditions: encrypted save 2.2–2.7× of checksummed before, 1.15–1.4× after).
 * Parts at least half a stage long (a checksummed payload) are written directly, without a copy;
 * deferred parts (native encryption, file-part.ts) are produced straight into the stage.
 *
 * Three 4 MiB stages rather than two of 2 MiB: with two, the producer waited for every write before
 * it could fill the next stage; with three it runs up to two writes ahead, and the writes are
 * queued back to back. Median encrypted ÷ checksummed save of the 36 MB benchmark app, 12 paired
 * rounds each, same runs: 2 × 2 MiB 1.46–1.68, 3 × 4 MiB 1.12–1.22; 3 × 8 MiB measured about the
 * same as 3 × 4 MiB for twice the memory, 4 × 2 MiB in between.
 */
export const STAGE_BYTES = 4 * 1024 * 1024;
export const STAGE_COUNT = 3;

const idleStages: Buffer[] = [];
let dropTimer: NodeJS.Timeout | null = null;
const IDLE_DROP_MS = 60_000;

function borrowStage(): Buffer {
  return idleStages.pop() ?? Buffer.allocUnsafe(STAGE_BYTES);
}

/** Keeps at most one writer's set; an idle minute drops them so a quiet engine holds nothing. */
function returnStages(stages: Buffer[]): void {
  for (const stage of stages) if (idleStages.length < STAGE_COUNT) idleStages.push(stage);
  if (dropTimer) clearTimeout(dropTimer);
  dropTimer = setTimeout(() => {
    idleStages.length = 0;
    dropTimer = null;
  }, IDLE_DROP_MS);
  dropTimer.unref();
}

export async function writeAll(handle: FileHandle, parts: Uint8Array[]): Promise<void> {
  let pending = parts;
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    // writev may write less than asked; drop what was written and retry the rest.
    const rest: Uint8Array[] = [];
    for (const part of pending) {
      if (bytesWritten >= part.length) bytesWritten -= part.length;
      else {
        rest.push(part.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/** Writes every part of `parts`, in order, to `handle` at its current position; returns the byte count. */
export async function writeStaged(handle: FileHandle, parts: Iterable<FilePart>): Promise<number> {
  const stages = Array.from({ length: STAGE_COUNT }, borrowStage);
  let current = 0;
  let fill = 0;
  let total = 0;
  // Writes run one after another (one file position) as a chain; `pending` holds those not yet
  // awaited, oldest first. At most STAGE_COUNT - 1 are pending when a stage is filled, so the stage
  // being filled is never one a pending write still reads (stages are used round-robin).
  let chain: Promise<void> = Promise.resolve();
  const pending: Promise<void>[] = [];
  const send = async (buffers: Uint8Array[]): Promise<void> => {
    while (pending.length >= STAGE_COUNT - 1) await pending.shift();
    // After a failed write the chain stays rejected: nothing later is written.
    chain = chain.then(() => writeAll(handle, buffers));
    // Observed here so a failure while the producer runs is not an unhandled rejection; awaiting
    // it from `pending` (or the final await) still throws it.
    chain.catch(() => undefined);
    pending.push(chain);
  };
  const flush = async (): Promise<void> => {
    if (fill === 0) return;
    const stage = stages[current] as Buffer;
    await send([stage.subarray(0, fill)]);
    current = (current + 1) % STAGE_COUNT;
    fill = 0;
  };
  try {
    for (const part of parts) {
      total += part.length;
      const deferred = isDeferredPart(part);
      if (deferred && part.length > STAGE_BYTES) throw new RangeError(`a deferred part of ${part.length} bytes does not fit a ${STAGE_BYTES}-byte stage`);
      if (!deferred && part.length >= STAGE_BYTES / 2) {
        await flush();
        await send([part]);
        continue;
      }
      if (fill + part.length > STAGE_BYTES) await flush();
      const stage = stages[current] as Buffer;
      if (deferred) part.writeInto(stage.subarray(fill, fill + part.length));
      else stage.set(part, fill);
      fill += part.length;
    }
    await flush();
    await chain;
  } finally {
    // Never hand a stage back (or let the caller close the file) while a write still reads it; the
    // chain settles only after every write in it has.
    await chain.catch(() => undefined);
    returnStages(stages);
  }
  return total;
}
