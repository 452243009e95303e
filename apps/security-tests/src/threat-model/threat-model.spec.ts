import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUZZ_TARGETS } from '../test-support/fuzz';
import { checkThreatTable, declaredTests, parseStrideTable, STRIDE_LETTERS } from './threat-model-check';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'threat-model.md'), 'utf8');
const rows = parseStrideTable(DOC);

describe('threat model (docs/threat-model.md)', () => {
  it('every proof in the STRIDE table names an existing, not skipped test in an existing file, and every mitigation file exists', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(checkThreatTable(rows, ROOT)).toEqual([]);
  });

  it('covers every STRIDE category at least three times, and all five trust boundaries', () => {
    for (const letter of STRIDE_LETTERS) expect(rows.filter((r) => r.threat === letter).length, letter).toBeGreaterThanOrEqual(3);
    for (const b of ['B1 client ↔ proxy', 'B2 proxy ↔ trust zone', 'B3 service', 'B4 reload sandbox ↔ engine', 'B5 operator ↔ CLI']) expect(DOC, b).toContain(b);
  });

  it('cites every attack of the security suite', () => {
    const cited = new Set(rows.flatMap((r) => r.proofs.map((p) => `${p.file} › ${p.test}`)));
    const dir = 'apps/security-tests/src/attacks';
    const files = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege', 'output-encoding'].map((f) => `${dir}/${f}.spec.ts`);
    const uncited = files.flatMap((f) => declaredTests(readFileSync(join(ROOT, f), 'utf8')).map((t) => `${f} › ${t.title}`)).filter((ref) => !cited.has(ref));
    expect(uncited).toEqual([]);
  });

  it('documents every fuzzed property, and only those', () => {
    const fuzzSection = DOC.slice(DOC.indexOf('## Fuzzing'));
    const documented = [...fuzzSection.matchAll(/^\| ([a-z-]+) \|/gm)].map((m) => m[1]).filter((n) => n !== 'property');
    expect(documented.sort()).toEqual(FUZZ_TARGETS.map((t) => t.name).sort());
  });

  it('the checker itself fails on a missing file, a missing or skipped test, a computed title and a bad category', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-threat-'));
    try {
      mkdirSync(join(dir, 'x'));
      writeFileSync(join(dir, 'x', 'a.spec.ts'), "it('real one', () => {});\nit.skip('skipped one', () => {});\nit(`computed ${1}`, () => {});\nit('quoted \\'name\\'', () => {});\n");
      const table = [
        '## STRIDE table', '', '| element | threat | attack | mitigation | proof |', '|---|---|---|---|---|',
        '| e | S | a | `libs/none.ts` | x/a.spec.ts › real one<br>x/a.spec.ts › quoted \'name\' |',
        '| e | S | a | m | x/a.spec.ts › no such test |',
        '| e | T | a | m | x/a.spec.ts › skipped one |',
        '| e | R | a | m | x/a.spec.ts › computed 1 |',
        '| e | Q | a | m | x/missing.spec.ts › real one |',
        '| e | I | a | m | just text |',
      ].join('\n');
      const problems = checkThreatTable(parseStrideTable(table), dir);
      expect(problems).toEqual([
        expect.stringContaining('mitigation file libs/none.ts does not exist'),
        expect.stringContaining("has no test named 'no such test'"),
        expect.stringContaining("'skipped one' in x/a.spec.ts is skipped"),
        expect.stringContaining("has no test named 'computed 1'"),
        expect.stringContaining('threat must be one of'),
        expect.stringContaining('x/missing.spec.ts does not exist'),
        expect.stringContaining("is not written 'file › test name'"),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
