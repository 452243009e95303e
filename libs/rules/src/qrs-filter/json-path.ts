/**
 * Reads a dotted path from plain JSON, case-insensitively (`stream.name`, `Stream.Name`). Arrays on
 * the way fan out, so `tags.name` yields every tag name. Own properties only: `__proto__` and
 * `constructor` are just absent fields.
 */
export function readPath(root: unknown, path: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(root, path, 0, out);
  return out;
}

function collect(value: unknown, path: readonly string[], at: number, out: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, at, out);
    return;
  }
  if (at === path.length) {
    out.push(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  collect(field(value as Record<string, unknown>, path[at] as string), path, at + 1, out);
}

function field(record: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}
