import { invalid, isRecord } from '../method-args';

/*
 * ApplyPatches (NxPatch, as Qlik: qOp add/remove/replace, qPath a JSON pointer into the properties,
 * qValue the new value as JSON text). Applied to a copy; the result is validated like any
 * SetProperties. Keys that reach an object's prototype are refused, and qInfo (the object's identity)
 * cannot be patched.
 */

export const MAX_PATCHES = 1000;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface NxPatch {
  qOp: 'add' | 'remove' | 'replace';
  qPath: string;
  qValue?: string;
}

export function readPatches(raw: unknown[]): NxPatch[] {
  return raw.map((p, i) => {
    const at = `qPatches.${i}`;
    if (!isRecord(p)) throw invalid(at, 'a patch is an object');
    const op = p['qOp'];
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalid(`${at}.qOp`, 'qOp is add, remove or replace');
    const path = p['qPath'];
    if (typeof path !== 'string' || path.length > 4096 || !path.startsWith('/')) throw invalid(`${at}.qPath`, 'qPath is a JSON pointer starting with /');
    const value = p['qValue'];
    if (op !== 'remove' && typeof value !== 'string') throw invalid(`${at}.qValue`, 'qValue is the new value as JSON text');
    return { qOp: op, qPath: path, ...(typeof value === 'string' ? { qValue: value } : {}) };
  });
}

function tokens(path: string, at: string): string[] {
  const parts = path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length > 64) throw invalid(at, 'qPath is too deep');
  for (const t of parts) if (FORBIDDEN.has(t)) throw invalid(at, `qPath may not name ${t}`);
  if (parts[0] === 'qInfo') throw invalid(at, 'qInfo is not patched');
  return parts;
}

function parseValue(text: string, at: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(at, 'qValue is not JSON');
  }
}

/** The properties after the patches (the input is not changed). */
export function applyPatches(properties: Record<string, unknown>, patches: readonly NxPatch[]): Record<string, unknown> {
  const root = structuredClone(properties);
  patches.forEach((p, i) => {
    const at = `qPatches.${i}`;
    const keys = tokens(p.qPath, `${at}.qPath`);
    let parent: unknown = root;
    for (const k of keys.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[Number(k)];
      else if (isRecord(parent)) {
        // Qlik creates missing intermediate objects on add.
        if (p.qOp === 'add' && !Object.hasOwn(parent, k)) parent[k] = {};
        parent = Object.hasOwn(parent, k) ? parent[k] : undefined;
      } else parent = undefined;
      if (parent === undefined) throw invalid(`${at}.qPath`, 'qPath does not exist');
    }
    const last = keys[keys.length - 1]!;
    const value = p.qOp === 'remove' ? undefined : parseValue(p.qValue!, `${at}.qValue`);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length || (p.qOp !== 'add' && index >= parent.length)) throw invalid(`${at}.qPath`, 'array index out of range');
      if (p.qOp === 'add') parent.splice(index, 0, value);
      else if (p.qOp === 'replace') parent[index] = value;
      else parent.splice(index, 1);
    } else if (isRecord(parent)) {
      if (p.qOp === 'remove') {
        if (!Object.hasOwn(parent, last)) throw invalid(`${at}.qPath`, 'qPath does not exist');
        delete parent[last];
      } else parent[last] = value;
    } else throw invalid(`${at}.qPath`, 'qPath does not exist');
  });
  return root;
}
