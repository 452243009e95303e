/**
 * A part of a file whose bytes are produced straight into the writer's buffer instead of being
 * handed over as a fresh buffer: the native AES-GCM encrypts a payload step into the staging
 * buffer, with no allocation in between. `writeInto` is called once, with a target of exactly
 * `length` bytes, before the next part is taken from the sequence.
 */
export interface DeferredPart {
  readonly length: number;
  writeInto(target: Uint8Array): void;
}

export type FilePart = Uint8Array | DeferredPart;

export function isDeferredPart(part: FilePart): part is DeferredPart {
  return !(part instanceof Uint8Array);
}

/** The bytes of any part (for consumers that need them in hand, e.g. tests joining a file). */
export function partBytes(part: FilePart): Uint8Array {
  if (!isDeferredPart(part)) return part;
  const bytes = Buffer.allocUnsafe(part.length);
  part.writeInto(bytes);
  return bytes;
}
