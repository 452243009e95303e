/** A file's bytes (or text from a source that already decoded it) turned into text. */
export class TextDecodingError extends Error {}

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

/**
 * A decoder for `label`. UTF-8 is strict (a wrong codepage should fail, not load mojibake); legacy
 * codepages map every byte. A new one for a stream: one left mid-stream by an error would carry
 * its half character into the next text.
 */
export function newDecoder(label: string): InstanceType<typeof TextDecoder> {
  return new TextDecoder(label, { fatal: label === 'utf-8' || label.startsWith('utf-16'), ignoreBOM: false });
}

function decoder(label: string): InstanceType<typeof TextDecoder> {
  let d = decoders.get(label);
  if (!d) {
    d = newDecoder(label);
    decoders.set(label, d);
  }
  return d;
}

/** A byte order mark says what the text is, whatever the script claims (as Qlik does). */
export function bomLabel(b: Uint8Array): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

export function decodeFileText(content: Uint8Array | string, codepage: string, skipBytes = 0): string {
  if (typeof content === 'string') return content.slice(skipBytes).replace(/^\uFEFF/, '');
  const bytes = skipBytes > 0 ? content.subarray(Math.min(skipBytes, content.length)) : content;
  const label = bomLabel(bytes) ?? codepage;
  try {
    if (label === 'utf-8') return decoder(label).decode(bytes);
    // Not one decode() call: Node 20.18.3 and later decode windows-1252 (Qlik's usual codepage, and
    // what WHATWG maps latin1 labels to) as ISO-8859-1 in that call, so 0x80 became U+0080, not €
    // (nodejs/node#60888). Decoding as a stream goes through ICU and is right.
    const d = newDecoder(label);
    return d.decode(bytes, { stream: true }) + d.decode();
  } catch {
    throw new TextDecodingError(`file is not valid ${label.toUpperCase()} text (name its character set, e.g. codepage is 1252)`);
  }
}

/** The text after its first `n` lines (a `header is n lines` preamble). */
export function skipLines(text: string, n: number): { rest: string; skipped: number } {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return { rest: '', skipped: k + 1 };
    at = nl + 1;
  }
  return { rest: text.slice(at), skipped: n };
}
