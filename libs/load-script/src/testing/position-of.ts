import type { SourcePosition } from '../load-script.error';

/**
 * Test helper: the 1-based line/column of the n-th occurrence of `needle` in `text`, computed
 * from the text itself so expected error positions are never typed in by hand.
 */
export function positionOf(text: string, needle: string, occurrence = 1): SourcePosition {
  let at = -1;
  for (let k = 0; k < occurrence; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
