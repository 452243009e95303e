import { ErrorCode, ServiceError } from '@trustzone/contracts';

const MAX_QUERY_VALUE = 4096;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A query parameter by name, case-insensitively (Qlik documents `skipData`, `fileReferenceId`, …;
 * clients send `skipdata`, `filereferenceid`): at most once, bounded; the error names it.
 */
export function queryParam(query: URLSearchParams, name: string, required = false): string {
  const want = name.toLowerCase();
  const all: string[] = [];
  for (const [k, v] of query) if (k.toLowerCase() === want) all.push(v);
  if (all.length > 1) throw new ServiceError(ErrorCode.InvalidArgument, `${name} given more than once`, { field: name });
  const v = all[0] ?? '';
  if (v.length > MAX_QUERY_VALUE) throw new ServiceError(ErrorCode.InvalidArgument, `${name} is too long`, { field: name });
  if (required && v === '') throw new ServiceError(ErrorCode.InvalidArgument, `${name} is required`, { field: name });
  return v;
}

export function guidParam(query: URLSearchParams, name: string, required = true): string {
  const v = queryParam(query, name, required);
  if (v !== '' && !GUID.test(v)) throw new ServiceError(ErrorCode.InvalidArgument, `${name} must be a GUID`, { field: name });
  return v.toLowerCase();
}
