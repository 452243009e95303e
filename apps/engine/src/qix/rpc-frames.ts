import type { RequestId } from './json-rpc-frame';
import type { QixError } from './qix.error';

export interface ResultExtras {
  /** Handles whose layout is now stale. */
  change?: readonly number[];
  /** Handles that no longer exist. */
  close?: readonly number[];
}

/**
 * A result value already serialized: its JSON text is spliced into the frame as is. For the pages of
 * a kept hypercube, whose rows' JSON is made once (cube-layout.ts) instead of at every answer.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `{"jsonrpc":"2.0","id":…,"result":…}` with `change` / `close` only when non-empty. */
export function resultFrame(id: RequestId, result: Record<string, unknown>, extras: ResultExtras = {}): string {
  if (Object.values(result).some((v) => v instanceof RawJson)) return splicedFrame(id, result, extras);
  const frame: Record<string, unknown> = { jsonrpc: '2.0', id, result };
  if (extras.change !== undefined && extras.change.length > 0) frame['change'] = extras.change;
  if (extras.close !== undefined && extras.close.length > 0) frame['close'] = extras.close;
  return JSON.stringify(frame);
}

/** What JSON.stringify would make of the frame, with RawJson values (top level of the result) spliced in. */
function splicedFrame(id: RequestId, result: Record<string, unknown>, extras: ResultExtras): string {
  const members: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    const text = v instanceof RawJson ? v.text : (JSON.stringify(v) as string | undefined);
    if (text !== undefined) members.push(`${JSON.stringify(k)}:${text}`);
  }
  let out = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{${members.join(',')}}`;
  if (extras.change !== undefined && extras.change.length > 0) out += `,"change":${JSON.stringify(extras.change)}`;
  if (extras.close !== undefined && extras.close.length > 0) out += `,"close":${JSON.stringify(extras.close)}`;
  return `${out}}`;
}

export function errorFrame(id: RequestId | null, error: QixError): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: error.code, parameter: error.parameter, message: error.message } });
}

/** A push without a request: these handles' layouts are stale (enigma.js emits `changed` on them). */
export function changeFrame(change: readonly number[]): string {
  return JSON.stringify({ jsonrpc: '2.0', change });
}

export function notificationFrame(method: string, params: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}
