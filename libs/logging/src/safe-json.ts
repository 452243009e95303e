/**
 * Serialises a value to exactly one line of JSON that no string inside it can break.
 *
 * JSON.stringify already escapes C0 controls (so `\n` becomes the two characters `\` `n`), but it
 * leaves DEL, the C1 controls (some terminals act on U+0085 NEL, U+009B CSI) and U+2028/U+2029
 * (line terminators for JavaScript and several log viewers) raw. Those are rewritten to `\uXXXX`
 * escapes, which decode back to the same string, so a user-controlled value can neither start a
 * fake line nor smuggle terminal escapes into `tail -f`.
 */
const UNSAFE_RAW = /[\u007f-\u009f\u2028\u2029]/g;

export function toJsonLine(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  return json.replace(UNSAFE_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when a string holds a character that would need escaping to stay on one line. */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text);
}
