import { describe, expect, it } from 'vitest';
import { ErrorCode, ServiceError, storageFull } from '@trustzone/contracts';
import { toQixError } from './qix-error-mapper';
import { QixErrorCode } from './qix.error';

// What a QIX client sees when a write hits a full data volume. The site-level proof (a real tmpfs
// filled up under a running site, CreateObject/DoSave over the proxy) is the chaos disk-full
// scenario (apps/site-tests chaos.e2e.spec.ts); here each thrown shape is mapped on its own.
describe('toQixError for a full data volume', () => {
  it("the engine's own write failing with ENOSPC: Qlik's disk-full code with the STORAGE_FULL text, not an internal error", () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write /var/lib/tz/apps/a/.tmp-1'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const mapped = toQixError(new Error('saving the app file failed', { cause: enospc }));
    expect(mapped.internal).toBe(false);
    expect(mapped.error.code).toBe(QixErrorCode.PERSISTENCE_DISK_FULL);
    expect(mapped.error.code).toBe(9008); // LOCERR_PERSISTENCE_DISK_FULL in the Engine API schema
    expect(mapped.error.parameter).toBe('STORAGE_FULL');
    expect(mapped.error.message).toBe(storageFull('engine').message);
    // No path from the file system error reaches the client.
    expect(mapped.error.message).not.toContain('/var/lib');
  });

  it("the repository refusing with STORAGE_FULL: the same code, naming the repository's volume", () => {
    const mapped = toQixError(storageFull('repository'));
    expect(mapped).toMatchObject({ internal: false, error: { code: 9008, parameter: ErrorCode.StorageFull } });
    expect(mapped.error.message).toMatch(/^the repository's data volume is full; nothing was written/);
  });

  it('any other failure stays a bare internal error', () => {
    expect(toQixError(new ServiceError(ErrorCode.Unavailable, 'repository down'))).toMatchObject({ internal: true, error: { code: QixErrorCode.INTERNAL_ERROR, message: 'Internal error' } });
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(toQixError(eacces)).toMatchObject({ internal: true, error: { code: QixErrorCode.INTERNAL_ERROR } });
  });
});
