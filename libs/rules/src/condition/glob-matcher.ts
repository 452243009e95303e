/**
 * `like` patterns: `*` matches any run of characters, everything else is literal, matching is
 * case-insensitive and covers the whole value. Segments are located left to right with indexOf,
 * which is exact for a `*`-only glob and cannot blow up (no backtracking beyond one scan).
 */
export interface GlobMatcher {
  readonly source: string;
  test(input: string): boolean;
}

export function compileGlob(pattern: string): GlobMatcher {
  const parts = pattern.toLowerCase().split('*');
  const first = parts[0] as string;
  if (parts.length === 1) return { source: pattern, test: (input) => input.toLowerCase() === first };
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter((part) => part.length > 0);
  const minLength = first.length + last.length;
  return {
    source: pattern,
    test(input: string): boolean {
      const value = input.toLowerCase();
      if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
      let at = first.length;
      const end = value.length - last.length;
      for (const part of middle) {
        const found = value.indexOf(part, at);
        if (found < 0 || found + part.length > end) return false;
        at = found + part.length;
      }
      return true;
    },
  };
}
