import winston from 'winston';
import { redact } from '../redaction/redact';
import { redactString } from '../redaction/value-redactor';
import { toJsonLine } from '../safe-json';

const MESSAGE = Symbol.for('message');
const RESERVED = new Set(['level', 'message', 'service', 'component', 'time']);

function messageText(message: unknown): string {
  if (typeof message === 'string') return redactString(message);
  const redacted = redact(message);
  return typeof redacted === 'string' ? redacted : toJsonLine(redacted);
}

/**
 * Turns a winston `info` into the one-line JSON record `{time, level, service, component, message,
 * fields}`. Everything is redacted here, before any transport sees it, and extra metadata goes
 * under `fields` so a caller's `{level: 'debug'}` or `{service: 'x'}` cannot spoof the envelope.
 * `service` comes from the logger's creation, never from the call site.
 */
export function jsonLineFormat(service: string, now: () => Date): winston.Logform.Format {
  return winston.format((info) => {
    const source = info as Record<string | symbol, unknown>;
    const extra: Record<string, unknown> = {};
    for (const key of Object.keys(source)) if (!RESERVED.has(key)) extra[key] = source[key];
    if (info instanceof Error && extra['stack'] === undefined) extra['stack'] = info.stack;
    const component = typeof source['component'] === 'string' ? redactString(source['component']) : undefined;
    const record: Record<string, unknown> = {
      time: now().toISOString(),
      level: info.level,
      service,
      ...(component !== undefined ? { component } : {}),
      message: messageText(source['message']),
    };
    if (Object.keys(extra).length > 0) record['fields'] = redact(extra);
    source[MESSAGE] = toJsonLine(record);
    return info;
  })();
}
