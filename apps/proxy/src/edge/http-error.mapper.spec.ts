import { ErrorCode, ServiceError, fromGrpcError, storageFull, toGrpcStatus, tooManyRequests } from '@trustzone/contracts';
import { describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from './edge.error';
import { HTTP_STATUS_BY_CODE, toHttpError } from './http-error.mapper';

describe('HTTP error mapping', () => {
  it('has a status for every service and edge code, 500 only for internal ones', () => {
    const codes = [...Object.values(ErrorCode), ...Object.values(EdgeErrorCode)];
    for (const code of codes) expect([400, 401, 403, 404, 409, 413, 429, 500, 503, 507]).toContain(HTTP_STATUS_BY_CODE[code]);
    const fiveHundreds = codes.filter((c) => HTTP_STATUS_BY_CODE[c] === 500);
    expect(fiveHundreds.sort()).toEqual([ErrorCode.Internal, EdgeErrorCode.InvalidConfig].sort());
  });

  it.each([
    [ErrorCode.InvalidArgument, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.PermissionDenied, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.PayloadTooLarge, 413],
    [ErrorCode.ResourceExhausted, 429],
  ] as const)('maps service code %s to %i with its message and field', (code, status) => {
    const r = toHttpError(new ServiceError(code, 'the reason', { field: 'body.name' }));
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code, message: 'the reason', field: 'body.name' } });
    expect(r.headers['content-type']).toMatch(/^application\/json/);
  });

  it('never shows internal text: service internals, config errors, store outages and unknown throws', () => {
    const secret = 'password=hunter2 at /etc/tz/key.pem';
    for (const e of [new ServiceError(ErrorCode.Internal, secret), new ServiceError(ErrorCode.Unavailable, secret, { field: 'x' }), new ServiceError(ErrorCode.DeadlineExceeded, secret), new EdgeError(EdgeErrorCode.InvalidConfig, secret, { field: 'x' }), new EdgeError(EdgeErrorCode.StoreUnavailable, secret), new Error(secret), secret, null]) {
      const r = toHttpError(e);
      expect(JSON.stringify(r.body)).not.toContain('hunter2');
      expect(r.body.error.field).toBeUndefined();
    }
    expect(toHttpError(new Error(secret)).status).toBe(500);
    expect(toHttpError(new EdgeError(EdgeErrorCode.StoreUnavailable, secret)).status).toBe(503);
  });

  it('a full data volume, from either service, crosses gRPC and answers 507 naming the volume, with no Retry-After', () => {
    for (const volume of ['repository', 'engine'] as const) {
      const sent = toGrpcStatus(storageFull(volume, Object.assign(new Error('ENOSPC: no space left on device, write /var/lib/tz/apps/x'), { code: 'ENOSPC' })));
      const received = fromGrpcError(Object.assign(new Error(sent.details ?? ''), { code: sent.code!, details: sent.details!, metadata: sent.metadata! }));
      const r = toHttpError(received);
      expect(r.status).toBe(507);
      expect(r.body.error.code).toBe('STORAGE_FULL');
      expect(r.body.error.message).toContain(`the ${volume}'s data volume is full`);
      expect(r.body.error.message).toContain('nothing was written');
      expect(JSON.stringify(r.body)).not.toMatch(/ENOSPC|\/var\/lib/);
      expect(r.headers['retry-after']).toBeUndefined();
    }
  });

  it('adds Retry-After to 429 and 503 when known', () => {
    expect(toHttpError(new EdgeError(EdgeErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 2.2 })).headers['retry-after']).toBe('3');
    expect(toHttpError(new EdgeError(EdgeErrorCode.TicketCapacity, 'full', { retryAfterSeconds: 5 })).headers['retry-after']).toBe('5');
    expect(toHttpError(new EdgeError(EdgeErrorCode.InvalidRequest, 'x', { retryAfterSeconds: 5 })).headers['retry-after']).toBeUndefined();
    // A service at its limit (the engine's reload slots) says when to come back through the error's detail.
    const busy = toHttpError(tooManyRequests('the engine is busy', 7.5));
    expect([busy.status, busy.headers['retry-after'], busy.body.error.code]).toEqual([429, '8', ErrorCode.TooManyRequests]);
  });

  it('maps edge codes: xrfkey 403, bad credentials 401, body limits 413/400', () => {
    expect(toHttpError(new EdgeError(EdgeErrorCode.XrfkeyMismatch, 'x')).status).toBe(403);
    expect(toHttpError(new EdgeError(EdgeErrorCode.JwtInvalid, 'x')).status).toBe(401);
    expect(toHttpError(new EdgeError(EdgeErrorCode.PayloadTooLarge, 'x')).status).toBe(413);
    expect(toHttpError(new EdgeError(EdgeErrorCode.JsonTooDeep, 'x')).status).toBe(400);
  });
});
