/** A file's bytes (or text from a source that already decoded it) turned into text. */
export class TextDecodingError extends Error {}

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

function decoder(label: string): InstanceType<typeof TextDecoder> {
  let d = decoders.get(label);
  if (!d) {
    // UTF-8 is strict (a wrong codepage should fail, not load mojibake); legacy codepages map every byte.
    d = new TextDecoder(label, { fatal: label === 'utf-8' || label.startsWith('utf-16'), ignoreBOM: false });
    decoders.set(label, d);
  }
  return d;
}

/** A byte order mark says what the text is, whatever the script claims (as Qlik does). */
function bomLabel(b: Uint8Array): string | null {
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
    return decoder(label).decode(bytes);
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
