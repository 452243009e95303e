import { describe, expect, it } from 'vitest';
import { isSessionIdShaped, newCsrfToken, newSessionId, sessionLogId } from './session-id';

describe('session ids', () => {
  it('are 256-bit url-safe random values', () => {
    const ids = new Set(Array.from({ length: 500 }, newSessionId));
    expect(ids.size).toBe(500);
    for (const id of ids) {
      expect(isSessionIdShaped(id)).toBe(true);
      expect(Buffer.from(id, 'base64url').length).toBe(32);
    }
    expect(newCsrfToken()).not.toBe(newCsrfToken());
  });

  it('log ids are short, stable across calls, distinct per id and do not contain the id', () => {
    const id = newSessionId();
    const logId = sessionLogId(id);
    expect(logId).toBe(sessionLogId(id));
    expect(logId).not.toContain(id);
    expect(logId).not.toContain(id.slice(0, 8));
    expect(logId.length).toBeLessThanOrEqual(20);
    expect(sessionLogId(newSessionId())).not.toBe(logId);
  });
});
