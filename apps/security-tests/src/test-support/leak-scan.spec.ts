import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanForLeaks } from './leak-scan';

const kinds = (text: string) => scanForLeaks([{ where: 't', text }]).map((l) => l.kind);

describe('leak scanner', () => {
  it('flags the texts of driver and transport errors', () => {
    for (const text of [
      '{"message":"14 UNAVAILABLE: No connection established"}',
      'PrismaClientKnownRequestError: Unique constraint failed',
      'SqliteError: SQLITE_CONSTRAINT: UNIQUE constraint failed: App.name',
      'connect ECONNREFUSED 127.0.0.1:4242',
      "ENOENT: no such file or directory, open 'x'",
      'Error from @grpc/grpc-js',
    ]) expect(kinds(text), text).toContain('driver error text');
  });

  it('does not flag random base64url tokens, such as the one that once matched /grpc/i', () => {
    expect(kinds('{"userId":"flood","csrfToken":"MaImZyWddXRC3-jSorpTEsGtwe04pDu59k36-RGRPcg"}')).toEqual([]);
    // 100,000 random 32-byte tokens: the old pattern flagged one in ~26,000 (4-letter "grpc" anywhere).
    const tokens = Array.from({ length: 100_000 }, () => randomBytes(32).toString('base64url'));
    expect(scanForLeaks(tokens.map((text) => ({ where: 'token', text })))).toEqual([]);
  });
});
