import { bidi, callers, ErrorCode, serverStream, ServiceError, toGrpcStatus, type CallContext, type EngineHandlers, type GuardedHandlers } from '@trustzone/contracts';
import type { ExchangeDeps } from '../exchange/exchange-deps';
import { buildExport } from '../exchange/export-package';
import { importPackage } from '../exchange/import-package';

const proxyOnly = callers.services('proxy');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** gRPC messages stay far below the 16 MiB limit. */
export const CHUNK_BYTES = 1024 * 1024;

function guid(value: string, field: string): string {
  if (!GUID.test(value)) throw new ServiceError(ErrorCode.InvalidArgument, `${field} must be a lower-case GUID`, { field });
  return value;
}

interface ImportCall {
  on(event: 'data', listener: (m: { start?: { name: string; targetAppId: string; declaredBytes: number } | null; data?: Buffer | null; part?: string }) => void): unknown;
  on(event: 'end' | 'cancelled' | 'error', listener: () => void): unknown;
  write(m: { json: string }): boolean;
  end(): void;
  emit(event: 'error', e: unknown): boolean;
}

/** App export (server stream of the package) and import (bidi: start, bytes, one answer), for users the proxy authenticated. */
export function exchangeHandlers(d: ExchangeDeps): Pick<GuardedHandlers<EngineHandlers>, 'ExportApp' | 'ImportApp'> {
  return {
    ExportApp: serverStream({ callers: proxyOnly, user: 'required' }, async (req, ctx, emit) => {
      const file = await buildExport(d, guid(req.appId, 'appId'), req.ticket, ctx.user!);
      for (let at = 0; at < file.length; at += CHUNK_BYTES) emit({ data: file.subarray(at, at + CHUNK_BYTES) });
    }),

    ImportApp: bidi({ callers: proxyOnly, user: 'required' }, (call, ctx) => receiveImport(d, call as unknown as ImportCall, ctx)),
  };
}

/**
 * Collects the upload: the first message says what to do, the rest are bytes, bounded by
 * maxImportBytes (refused as soon as it is passed, so an oversized upload is never held whole).
 */
function receiveImport(d: ExchangeDeps, call: ImportCall, ctx: CallContext): void {
  let start: { name: string; targetAppId: string } | undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    call.emit('error', toGrpcStatus(e));
  };
  call.on('data', (m) => {
    if (failed) return;
    if (m.start) {
      if (start) return fail(new ServiceError(ErrorCode.InvalidArgument, 'the import was started twice', { field: 'start' }));
      if (m.start.targetAppId && !GUID.test(m.start.targetAppId)) return fail(new ServiceError(ErrorCode.InvalidArgument, 'targetAppId must be a lower-case GUID', { field: 'targetAppId' }));
      if (m.start.declaredBytes > d.maxImportBytes) return fail(tooLarge(d.maxImportBytes));
      start = { name: m.start.name.slice(0, 2048), targetAppId: m.start.targetAppId };
      return;
    }
    if (!start) return fail(new ServiceError(ErrorCode.InvalidArgument, 'the import must start with what to do', { field: 'start' }));
    const bytes = m.data ?? Buffer.alloc(0);
    size += bytes.length;
    if (size > d.maxImportBytes) return fail(tooLarge(d.maxImportBytes));
    chunks.push(Buffer.from(bytes));
  });
  call.on('end', () => {
    if (failed) return;
    if (!start) return fail(new ServiceError(ErrorCode.InvalidArgument, 'empty import', { field: 'body' }));
    importPackage(d, start, Buffer.concat(chunks, size), ctx.user!).then(
      (json) => {
        call.write({ json });
        call.end();
      },
      fail,
    );
  });
}

function tooLarge(max: number): ServiceError {
  return new ServiceError(ErrorCode.PayloadTooLarge, `the upload is larger than ${max} bytes (TZ_APP_IMPORT_MAX_BYTES)`, { field: 'body' });
}
