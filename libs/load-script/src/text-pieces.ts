import { Buffer, isUtf8 } from 'node:buffer';
import { openedBytes, type OpenedFile } from './script-file-source';
import { bomLabel, newDecoder, TextDecodingError } from './text-decoding';

/**
 * A file's text handed to a parser in pieces, each ending just after a line break (the last may
 * not), so that a record never spans two pieces unless a quoted value spans lines.
 *
 * Why not the whole file and then one string: on the machines we run on, first touching fresh
 * memory costs ~3.7 ms per MB (page faults; memory used again ~0.05 ms). Reading a 65 MB file whole
 * and decoding it into one 65 MB string took ~450 ms of a ~1 s CSV load on the 1,000,000-row bench
 * file. Here the file is read through one reused 1 MiB buffer (twice: once to count its lines, which
 * sizes the columns, then to decode it) and decoded in 64 KiB pieces, which V8 keeps in the young
 * generation, whose memory is reused: ~70 ms for the same file.
 */
export interface TextPieces {
  /** The next piece, or null once the text is over. */
  next(): string | null;
  /** At least the number of lines in all the pieces still to come (sizes columns once). */
  readonly lineBound: number;
}

/** Characters per piece: under V8's large-object threshold (128 KiB), where strings stop being reused memory. */
export const PIECE_BYTES = 64 * 1024;
/** The read buffer (grows only for a line longer than it). */
const BLOCK_BYTES = 1024 * 1024;

/** A text that is already one string, as pieces (inline data, text returned by a file source). */
export function singlePiece(text: string): TextPieces {
  let done = false;
  return {
    next: () => (done ? null : ((done = true), text)),
    lineBound: lineCount(text),
  };
}

/**
 * A file as text pieces: a byte order mark decides the character set over `codepage` (as in
 * decodeFileText); UTF-8 is strict (each piece is validated: a wrong codepage fails instead of
 * loading mojibake), other character sets fail as their pieces are decoded. Pieces are read only
 * while the caller asks for them, so `file` must stay open until then.
 */
export function decodeFilePieces(file: OpenedFile | Uint8Array | string, codepage: string, skipBytes = 0, sizes: { piece?: number; block?: number } = {}): TextPieces {
  const pieceBytes = sizes.piece ?? PIECE_BYTES;
  const blockBytes = sizes.block ?? BLOCK_BYTES;
  if (typeof file === 'string') return singlePiece(file.slice(skipBytes).replace(/^\uFEFF/, ''));
  const f = file instanceof Uint8Array ? openedBytes(file) : file;
  const from = Math.min(skipBytes, f.size);
  const head = new Uint8Array(3);
  const bomSays = bomLabel(head.subarray(0, f.readAt(head, from)));
  const label = bomSays ?? codepage;
  if (label === 'utf-8') {
    const bom = bomSays === 'utf-8' ? 3 : 0;
    return { next: utf8Pieces(f, from + bom, pieceBytes, blockBytes), lineBound: countLines(f, from + bom, blockBytes) };
  }
  return { next: decodedPieces(f, from, label, pieceBytes), lineBound: countLines(f, from, blockBytes) };
}

/**
 * At least the lines in the file from `from`: every character set TextDecoder knows writes a line
 * feed with a 0x0A byte (UTF-16 beside a 0x00), so counting those bytes bounds them from above.
 */
function countLines(f: OpenedFile, from: number, blockBytes: number): number {
  const buf = Buffer.allocUnsafe(blockBytes);
  let lines = 0;
  let last = 10;
  for (let pos = from; pos < f.size; ) {
    const n = f.readAt(buf.subarray(0, Math.min(buf.length, f.size - pos)), pos);
    if (n <= 0) break;
    const block = n === buf.length ? buf : buf.subarray(0, n);
    for (let i = block.indexOf(10); i >= 0; i = block.indexOf(10, i + 1)) lines++;
    last = block[n - 1]!;
    pos += n;
  }
  return lines + (last === 10 ? 0 : 1);
}

/** UTF-8 cut after a line-feed byte (never inside a character): each piece validated, then decoded alone. */
function utf8Pieces(f: OpenedFile, from: number, pieceBytes: number, blockBytes: number): () => string | null {
  let buf = Buffer.allocUnsafe(blockBytes);
  let start = 0;
  let end = 0;
  let pos = from;
  let eof = pos >= f.size;
  /** More bytes after the unread ones (moved to the front; the buffer doubles when they fill it). */
  const fill = (): void => {
    if (start > 0) {
      buf.copyWithin(0, start, end);
      end -= start;
      start = 0;
    }
    if (end === buf.length) {
      const grown = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(grown, 0, 0, end);
      buf = grown;
    }
    const n = pos < f.size ? f.readAt(buf.subarray(end, Math.min(buf.length, end + f.size - pos)), pos) : 0;
    if (n <= 0) eof = true;
    end += Math.max(0, n);
    pos += Math.max(0, n);
    if (pos >= f.size) eof = true;
  };
  const piece = (a: number, b: number): string => {
    start = b;
    const bytes = buf.subarray(a, b);
    if (!isUtf8(bytes)) throw new TextDecodingError('file is not valid UTF-8 text (name its character set, e.g. codepage is 1252)');
    return buf.toString('utf8', a, b);
  };
  return () => {
    for (;;) {
      if (end - start >= pieceBytes || (eof && end > start)) {
        const limit = Math.min(start + pieceBytes, end);
        const before = buf.lastIndexOf(10, limit - 1);
        if (before >= start) return piece(start, before + 1);
        // A line longer than a piece: the piece runs to its end, once that has been read.
        const after = buf.subarray(0, end).indexOf(10, limit);
        if (after >= 0) return piece(start, after + 1);
        if (eof) return piece(start, end);
      } else if (eof) return null;
      fill();
    }
  };
}

/**
 * Any other character set: bytes decoded as a stream (a character split between two reads is kept
 * for the next), the text cut after its last line break and the rest carried over.
 */
function decodedPieces(f: OpenedFile, from: number, label: string, pieceBytes: number): () => string | null {
  const d = newDecoder(label);
  const buf = Buffer.allocUnsafe(pieceBytes);
  let pos = from;
  let carry: string[] = [];
  let finished = false;
  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      return d.decode(bytes, { stream });
    } catch {
      throw new TextDecodingError(`file is not valid ${label.toUpperCase()} text (name its character set, e.g. codepage is 1252)`);
    }
  };
  return () => {
    while (!finished) {
      const n = pos < f.size ? f.readAt(buf.subarray(0, Math.min(buf.length, f.size - pos)), pos) : 0;
      pos += Math.max(0, n);
      const last = n <= 0 || pos >= f.size;
      // Always as a stream, then flushed: see decodeFileText for the one-call windows-1252 bug.
      const text = decode(buf.subarray(0, Math.max(0, n)), true) + (last ? decode(new Uint8Array(0), false) : '');
      finished = last;
      const nl = text.lastIndexOf('\n');
      if (nl < 0 && !last) {
        carry.push(text);
        continue;
      }
      const piece = carry.join('') + (last ? text : text.slice(0, nl + 1));
      carry = last ? [] : [text.slice(nl + 1)];
      if (piece !== '') return piece;
    }
    return null;
  };
}

/**
 * Drops the first `n` lines (`header is n lines`): the pieces after them and how many lines were
 * skipped (one more than there were when the text ends first, as skipLines counts them).
 */
export function skipPieceLines(pieces: TextPieces, n: number): { pieces: TextPieces; skipped: number } {
  let skipped = 0;
  let head: string | null = null;
  while (skipped < n) {
    const piece = pieces.next();
    if (piece === null) return { pieces: singlePiece(''), skipped: skipped + 1 };
    let at = 0;
    while (skipped < n) {
      const nl = piece.indexOf('\n', at);
      if (nl < 0) break;
      at = nl + 1;
      skipped++;
    }
    if (skipped === n) head = piece.slice(at);
  }
  let first = head;
  return {
    pieces: {
      next: () => {
        if (first === null) return pieces.next();
        const h = first;
        first = null;
        return h;
      },
      lineBound: Math.max(0, pieces.lineBound - skipped),
    },
    skipped,
  };
}

/** Lines in `text` (a last line without a line break counts). */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  let n = text.charCodeAt(text.length - 1) === 10 ? 0 : 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
