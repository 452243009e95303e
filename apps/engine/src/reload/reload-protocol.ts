import type { LoadResult } from '@trustzone/data-model';
import type { ScriptLimits } from '@trustzone/load-script';
import { validateLoadResult, type WireLoadResult } from './load-result.validator';

/** IPC between the engine (parent) and the sandboxed reload worker. */
export type WorkerLimits = Partial<ScriptLimits> & { maxFileBytes?: number };

export interface StartMessage {
  type: 'start';
  script: string;
  connections: { name: string; dir: string; writable: boolean }[];
  /** Connections granted but unusable on this engine: a LOAD reading one fails naming it. */
  unavailable: string[];
  limits: WorkerLimits;
}

/**
 * The worker cannot write files and holds no keys, so a STORE (`write`) and the opening of an
 * encrypted file (`open-sealed`) are requests the engine decides and carries out.
 */
export type FileRequest =
  | { type: 'file-request'; id: number; op: 'write'; connection: string; path: string; kind: 'qvd' | 'text'; bytes: Uint8Array }
  | { type: 'file-request'; id: number; op: 'open-sealed'; connection: string; path: string };

export type FileReply = { type: 'file-reply'; id: number; ok: true; bytes?: Uint8Array } | { type: 'file-reply'; id: number; ok: false; message: string };

export interface WorkerFailure {
  line?: number;
  column?: number;
  message: string;
  code: string;
  /** The statement that failed, one line (load-script's summary). */
  statement?: string;
}

/** A statement starting (or a TRACE message) at a script position: one progress line each. */
export interface StatementProgress {
  kind: 'statement' | 'trace';
  line: number;
  column: number;
  text: string;
}

const MAX_STATEMENT_CHARS = 500;

export type WorkerMessage =
  | FileRequest
  | { type: 'progress'; table: string; rows: number }
  | ({ type: 'statement' } & StatementProgress)
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; error: WorkerFailure };

/** What the worker sends: as WorkerMessage, with the result in its wire form (see toWireResult). */
export type OutgoingWorkerMessage = Exclude<WorkerMessage, { type: 'result' }> | { type: 'result'; result: WireLoadResult };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Worker side: the one message it accepts. */
export function parseStartMessage(raw: unknown): StartMessage | string {
  if (!isObj(raw) || raw['type'] !== 'start') return 'expected a start message';
  const { script, connections, unavailable, limits } = raw;
  if (typeof script !== 'string') return 'start.script must be a string';
  if (!Array.isArray(connections) || !connections.every((c) => isObj(c) && typeof c['name'] === 'string' && typeof c['dir'] === 'string' && typeof c['writable'] === 'boolean')) {
    return 'start.connections must be [{name, dir, writable}]';
  }
  if (!Array.isArray(unavailable) || !unavailable.every((n) => typeof n === 'string')) return 'start.unavailable must be a list of names';
  if (!isObj(limits) || !Object.values(limits).every(isPosInt)) return 'start.limits must map names to integers';
  return { type: 'start', script, connections: connections as StartMessage['connections'], unavailable: unavailable as string[], limits: limits as WorkerLimits };
}

const MAX_PATH = 1024;

/** Worker side: a reply from the engine to one of its file requests. */
export function parseFileReply(raw: unknown): FileReply | null {
  if (!isObj(raw) || raw['type'] !== 'file-reply' || !isPosInt(raw['id'])) return null;
  if (raw['ok'] === true) return raw['bytes'] instanceof Uint8Array ? { type: 'file-reply', id: raw['id'], ok: true, bytes: raw['bytes'] } : { type: 'file-reply', id: raw['id'], ok: true };
  return { type: 'file-reply', id: raw['id'], ok: false, message: typeof raw['message'] === 'string' ? raw['message'].slice(0, 2000) : 'refused' };
}

function parseFileRequest(raw: Record<string, unknown>, maxBytes: number): FileRequest | string {
  const { id, op, connection, path } = raw;
  if (!isPosInt(id)) return 'file request without an id';
  if (typeof connection !== 'string' || connection.length > 128 || typeof path !== 'string' || path.length > MAX_PATH) return 'file request with a malformed connection or path';
  if (op === 'open-sealed') return { type: 'file-request', id, op, connection, path };
  if (op !== 'write') return 'unknown file request';
  const { kind, bytes } = raw;
  if (kind !== 'qvd' && kind !== 'text') return 'file write with an unknown kind';
  if (!(bytes instanceof Uint8Array)) return 'file write without bytes';
  if (bytes.length > maxBytes) return `file write larger than ${maxBytes} bytes`;
  return { type: 'file-request', id, op, connection, path, kind, bytes };
}

/** Parent side: anything malformed from the worker is a protocol error, never trusted. */
export function parseWorkerMessage(raw: unknown, maxFileBytes = Number.MAX_SAFE_INTEGER): WorkerMessage | string {
  if (!isObj(raw)) return 'worker message is not an object';
  switch (raw['type']) {
    case 'file-request':
      return parseFileRequest(raw, maxFileBytes);
    case 'progress':
      if (typeof raw['table'] !== 'string' || !isPosInt(raw['rows'])) return 'malformed progress message';
      return { type: 'progress', table: raw['table'].slice(0, 256), rows: raw['rows'] };
    case 'statement': {
      const { kind, line, column, text } = raw;
      if ((kind !== 'statement' && kind !== 'trace') || !isPosInt(line) || !isPosInt(column) || typeof text !== 'string') return 'malformed statement message';
      return { type: 'statement', kind, line, column, text: text.slice(0, MAX_STATEMENT_CHARS) };
    }
    case 'result': {
      const result = validateLoadResult(raw['result']);
      return typeof result === 'string' ? `malformed result: ${result}` : { type: 'result', result };
    }
    case 'error': {
      const e = raw['error'];
      if (!isObj(e) || typeof e['message'] !== 'string' || typeof e['code'] !== 'string') return 'malformed error message';
      const failure: WorkerFailure = { message: e['message'].slice(0, 2000), code: e['code'].slice(0, 64) };
      if (isPosInt(e['line']) && isPosInt(e['column'])) Object.assign(failure, { line: e['line'], column: e['column'] });
      if (typeof e['statement'] === 'string') failure.statement = e['statement'].slice(0, MAX_STATEMENT_CHARS);
      return { type: 'error', error: failure };
    }
    default:
      return 'unknown worker message type';
  }
}
