import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ServiceError, isOutOfSpace, retryAfterOf, storageFull, tooManyRequests } from './contracts.error';
import { fromGrpcError, toGrpcStatus } from './grpc-status.mapper';

/** What a client receives for a status a handler sent. */
function roundTrip(e: unknown): ServiceError {
  const s = toGrpcStatus(e);
  return fromGrpcError(Object.assign(new Error(s.details ?? ''), { code: s.code!, details: s.details!, metadata: s.metadata! }));
}

describe('ErrorCode ↔ gRPC status', () => {
  it('every code survives the wire with its field and detail', () => {
    for (const code of Object.values(ErrorCode)) {
      const back = roundTrip(new ServiceError(code, 'why', { field: 'f', detail: { n: 1 } }));
      expect([back.code, back.field, back.detail]).toEqual([code, 'f', { n: 1 }]);
    }
  });

  it('TooManyRequests is RESOURCE_EXHAUSTED on the wire and keeps its Retry-After hint', () => {
    const s = toGrpcStatus(tooManyRequests('busy', 2.1));
    expect(s.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(retryAfterOf(roundTrip(tooManyRequests('busy', 2.1)))).toBe(3);
  });

  it('a bare status shared by several codes maps back to the first of them', () => {
    const bare = fromGrpcError(Object.assign(new Error('x'), { code: status.RESOURCE_EXHAUSTED, details: 'x', metadata: new Metadata() }));
    expect(bare.code).toBe(ErrorCode.ResourceExhausted);
  });

  it('StorageFull is RESOURCE_EXHAUSTED on the wire, comes back as itself, and keeps its fixed text', () => {
    const sent = storageFull('engine', Object.assign(new Error('ENOSPC /data/apps/x.tzapp'), { code: 'ENOSPC' }));
    expect(toGrpcStatus(sent).code).toBe(status.RESOURCE_EXHAUSTED);
    const back = roundTrip(sent);
    expect(back.code).toBe(ErrorCode.StorageFull);
    expect(back.message).toBe(sent.message);
    expect(back.message).not.toContain('/data');
  });
});

describe('isOutOfSpace', () => {
  it('finds ENOSPC / EDQUOT anywhere in a cause chain, and nothing else', () => {
    const enospc = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    expect(isOutOfSpace(enospc)).toBe(true);
    expect(isOutOfSpace(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    expect(isOutOfSpace(new Error('audit write failed', { cause: new Error('wrapped', { cause: enospc }) }))).toBe(true);
    for (const other of [new Error('no space left on device'), Object.assign(new Error('x'), { code: 'EACCES' }), 'ENOSPC', null, undefined, { code: 28 }]) expect(isOutOfSpace(other)).toBe(false);
    // A cyclic cause chain ends (bounded walk) instead of hanging.
    const a: { code: string; cause?: unknown } = { code: 'EIO' };
    a.cause = a;
    expect(isOutOfSpace(a)).toBe(false);
  });
});
