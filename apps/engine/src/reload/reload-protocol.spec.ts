import { describe, expect, it } from 'vitest';
import { parseWorkerMessage } from './reload-protocol';

/** Threat: a compromised worker flooding or confusing the engine through progress messages. */
describe('parseWorkerMessage: statement progress and failures', () => {
  it('accepts a statement or TRACE line and bounds its text', () => {
    expect(parseWorkerMessage({ type: 'statement', kind: 'trace', line: 3, column: 1, text: 'x'.repeat(2000) })).toEqual({
      type: 'statement', kind: 'trace', line: 3, column: 1, text: 'x'.repeat(500),
    });
  });

  it.each([
    ['unknown kind', { type: 'statement', kind: 'exec', line: 1, column: 1, text: 'x' }],
    ['negative line', { type: 'statement', kind: 'statement', line: -1, column: 1, text: 'x' }],
    ['text not a string', { type: 'statement', kind: 'statement', line: 1, column: 1, text: { toString: 'x' } }],
  ])('refuses %s', (_name, raw) => {
    expect(typeof parseWorkerMessage(raw)).toBe('string');
  });

  it('keeps a failure\'s statement, bounded, and ignores one that is not text', () => {
    const ok = parseWorkerMessage({ type: 'error', error: { code: 'SCRIPT_DATA', message: 'm', line: 2, column: 3, statement: 's'.repeat(900) } });
    expect(ok).toEqual({ type: 'error', error: { code: 'SCRIPT_DATA', message: 'm', line: 2, column: 3, statement: 's'.repeat(500) } });
    const odd = parseWorkerMessage({ type: 'error', error: { code: 'SCRIPT_DATA', message: 'm', statement: 42 } });
    expect(odd).toEqual({ type: 'error', error: { code: 'SCRIPT_DATA', message: 'm' } });
  });
});
