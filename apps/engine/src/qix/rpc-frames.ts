import type { RequestId } from './json-rpc-frame';
import type { QixError } from './qix.error';

export interface ResultExtras {
  /** Handles whose layout is now stale. */
  change?: readonly number[];
  /** Handles that no longer exist. */
  close?: readonly number[];
}

/** `{"jsonrpc":"2.0","id":…,"result":…}` with `change` / `close` only when non-empty. */
export function resultFrame(id: RequestId, result: Record<string, unknown>, extras: ResultExtras = {}): string {
  const frame: Record<string, unknown> = { jsonrpc: '2.0', id, result };
  if (extras.change !== undefined && extras.change.length > 0) frame['change'] = extras.change;
  if (extras.close !== undefined && extras.close.length > 0) frame['close'] = extras.close;
  return JSON.stringify(frame);
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
