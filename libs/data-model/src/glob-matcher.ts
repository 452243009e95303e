/**
 * Case-insensitive wildcard match (`*` any run, `?` one character) in O(text × pattern) worst
 * case, without regular expressions: a user-supplied pattern such as "*a*a*a*a*b" must not be able
 * to make a backtracking regex engine run for minutes.
 */
export const MAX_PATTERN_LENGTH = 1_000;

export function compileGlob(pattern: string): (text: string) => boolean {
  const p = pattern.toLowerCase();
  return (text) => globMatch(p, text.toLowerCase());
}

function globMatch(p: string, t: string): boolean {
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === t[ti])) {
      pi++;
      ti++;
    } else if (pc === '*') {
      star = pi++;
      resume = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
