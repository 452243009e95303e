/**
 * Deepest array/object nesting of a JSON text, found by one linear scan before parsing. Deep
 * nesting is how a small frame becomes expensive (recursive walks over the parsed value), so it is
 * refused before JSON.parse builds anything. Malformed text is left to JSON.parse to reject.
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
