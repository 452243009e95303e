import { isSensitiveKey } from './sensitive-key';
import { REDACTED, redactString } from './value-redactor';

/** Bounds keep one pathological value from turning a log line into megabytes (fail closed on size). */
export interface RedactLimits {
  maxDepth: number;
  maxStringLength: number;
  maxEntries: number;
}

export const DEFAULT_REDACT_LIMITS: RedactLimits = { maxDepth: 8, maxStringLength: 8192, maxEntries: 200 };

function redactText(text: string, limits: RedactLimits): string {
  // Redact before truncating so a cut cannot split a secret into an unrecognisable prefix.
  const clean = redactString(text);
  return clean.length > limits.maxStringLength ? `${clean.slice(0, limits.maxStringLength)}…[truncated ${clean.length - limits.maxStringLength} chars]` : clean;
}

function errorToObject(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [k, v] of Object.entries(error)) out[k] = v;
  if (error.stack !== undefined) out['stack'] = error.stack;
  if (error.cause !== undefined) out['cause'] = error.cause;
  return out;
}

/**
 * Returns a JSON-safe deep copy of `value` with secrets replaced by "[REDACTED]": every value under
 * a sensitive field name (at any depth, inside arrays and Error objects) and every secret-shaped
 * substring of any string. Cycles, exotic objects and oversized values are reduced to markers.
 */
export function redact(value: unknown, limits: RedactLimits = DEFAULT_REDACT_LIMITS): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
        return redactText(v, limits);
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'bigint':
        return v.toString();
      case 'undefined':
        return undefined;
      case 'symbol':
        return v.toString();
      case 'function':
        return '[Function]';
      case 'object':
        break;
    }
    if (v === null) return null;
    const obj = v as object;
    if (seen.has(obj)) return '[Circular]';
    if (depth >= limits.maxDepth) return '[Truncated]';
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `[binary ${v.byteLength} bytes]`;
    seen.add(obj);
    try {
      if (Array.isArray(v) || v instanceof Set) {
        const items = [...(v as Iterable<unknown>)];
        const out = items.slice(0, limits.maxEntries).map((item) => walk(item, depth + 1) ?? null);
        if (items.length > limits.maxEntries) out.push(`[${items.length - limits.maxEntries} more]`);
        return out;
      }
      const source: Iterable<[unknown, unknown]> =
        v instanceof Map ? v.entries() : Object.entries(v instanceof Error ? errorToObject(v) : (v as Record<string, unknown>));
      const out: Record<string, unknown> = {};
      let count = 0;
      for (const [rawKey, child] of source) {
        const key = String(rawKey);
        if (count++ >= limits.maxEntries) {
          out['[more]'] = true;
          break;
        }
        out[key] = isSensitiveKey(key) ? REDACTED : walk(child, depth + 1);
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  return walk(value, 0);
}
