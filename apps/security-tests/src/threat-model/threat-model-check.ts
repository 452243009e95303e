import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads docs/threat-model.md and checks that its STRIDE table points at real code and real tests:
 * every `file › test name` proof names a test declared with exactly that title (not skipped) in
 * that file, and every mitigation file exists. A threat model whose proofs rot is worse than none.
 */
export const STRIDE_LETTERS = ['S', 'T', 'R', 'I', 'D', 'E'] as const;
export type StrideLetter = (typeof STRIDE_LETTERS)[number];

export interface ThreatRow {
  line: number;
  element: string;
  threat: string;
  mitigationFiles: string[];
  proofs: { file: string; test: string }[];
}

/** Rows of the first table after `## STRIDE table` (header and separator skipped). */
export function parseStrideTable(markdown: string): ThreatRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === '## STRIDE table');
  if (start < 0) return [];
  const rows: ThreatRow[] = [];
  let seenHeader = false;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.startsWith('## ')) break;
    if (!l.startsWith('|')) continue;
    if (!seenHeader) {
      seenHeader = true;
      continue;
    }
    if (/^\|\s*-/.test(l)) continue;
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    const [element = '', threat = '', , mitigation = '', proof = ''] = cells;
    rows.push({
      line: i + 1,
      element,
      threat,
      mitigationFiles: [...mitigation.matchAll(/`((?:apps|libs|tools)\/[^`\s]+?\.(?:ts|mjs))`/g)].map((m) => m[1] as string),
      proofs: proof.split('<br>').map((p) => p.trim()).filter((p) => p !== '').map((p) => {
        const at = p.indexOf(' › ');
        return at < 0 ? { file: p, test: '' } : { file: p.slice(0, at).trim(), test: p.slice(at + 3).trim() };
      }),
    });
  }
  return rows;
}

export interface DeclaredTest {
  title: string;
  skipped: boolean;
}

/** Titles of `it(...)` / `test(...)` declared with a literal string (modifiers noted). */
export function declaredTests(source: string): DeclaredTest[] {
  const out: DeclaredTest[] = [];
  const re = /\b(?:it|test)((?:\.[a-zA-Z]+)*)\(\s*(['"`])((?:\\[\s\S]|(?!\2)[^\\])*)\2/g;
  for (const m of source.matchAll(re)) {
    const literal = m[3] as string;
    if (m[2] === '`' && literal.includes('${')) continue; // computed titles cannot be matched statically
    out.push({ title: literal.replace(/\\([\s\S])/g, '$1'), skipped: /\.(skip|todo)\b/.test(m[1] ?? '') });
  }
  return out;
}

/** Every problem of the table, as readable lines (empty when the table holds). */
export function checkThreatTable(rows: readonly ThreatRow[], root: string): string[] {
  const problems: string[] = [];
  const cache = new Map<string, DeclaredTest[] | null>();
  const testsOf = (file: string) => {
    if (!cache.has(file)) cache.set(file, existsSync(join(root, file)) ? declaredTests(readFileSync(join(root, file), 'utf8')) : null);
    return cache.get(file) ?? null;
  };
  for (const r of rows) {
    const where = `line ${r.line} (${r.element}, ${r.threat})`;
    if (!(STRIDE_LETTERS as readonly string[]).includes(r.threat)) problems.push(`${where}: threat must be one of ${STRIDE_LETTERS.join(' ')}`);
    if (r.proofs.length === 0) problems.push(`${where}: no proof`);
    for (const f of r.mitigationFiles) if (!existsSync(join(root, f))) problems.push(`${where}: mitigation file ${f} does not exist`);
    for (const p of r.proofs) {
      if (p.test === '') {
        problems.push(`${where}: proof '${p.file}' is not written 'file › test name'`);
        continue;
      }
      const tests = testsOf(p.file);
      if (tests === null) problems.push(`${where}: ${p.file} does not exist`);
      else {
        const found = tests.filter((t) => t.title === p.test);
        if (found.length === 0) problems.push(`${where}: ${p.file} has no test named '${p.test}'`);
        else if (found.every((t) => t.skipped)) problems.push(`${where}: '${p.test}' in ${p.file} is skipped`);
      }
    }
  }
  return problems;
}
