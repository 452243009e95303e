import fc from 'fast-check';
import { parseScript, runScript, ScriptError } from '@trustzone/load-script';
import { compileQrsFilter, parseOrderBy, QrsFilterError, RulesError } from '@trustzone/rules';
import { mutated, timed, tokenSoup, toResult, type FuzzTarget } from './fuzz-target';

const MAX_PARSE_MS = 250;
/** A fuzzed script runs under tight limits; whatever it does must end well within this. */
const MAX_RUN_MS = 3_000;
const RUN_LIMITS = { maxRowsPerTable: 20_000, maxTotalCells: 200_000, maxStatements: 500, maxInlineChars: 100_000, maxScriptChars: 200_000, maxLoadIterations: 200_000, maxSleepMs: 50, maxVariableChars: 100_000 };

const FILTER_TOKENS = ['name', 'stream.name', 'owner.userId', 'id', 'published', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'so', 'and', 'or', 'not', '(', ')', "'x'", "'O''Brien'", "''", "'", '1', '-1.5e3', 'true', 'null', 'guid', '.', '..', 'a.b.c.d.e.f.g.h.i', '%', '\\'];
const validFilter = fc.array(fc.tuple(fc.constantFrom('name', 'stream.name', 'owner.userId', 'published'), fc.constantFrom('eq', 'ne', 'sw', 'ew', 'so', 'gt', 'lt'), fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/'/g, "''")}'`)), { minLength: 1, maxLength: 4 })
  .chain((cs) => fc.constantFrom(' and ', ' or ').map((j) => cs.map(([p, o, v]) => `${p} ${o} ${v}`).join(j)));
const anyFilter = fc.oneof(validFilter, mutated(validFilter), tokenSoup(FILTER_TOKENS), fc.string({ maxLength: 120 }), fc.nat({ max: 3000 }).map((n) => `${'('.repeat(n)}name eq 'x'`));
const entity = fc.jsonValue({ maxDepth: 3 });

const SCRIPT_TOKENS = ['LOAD', '*', 'INLINE', '[', ']', 'A, B', '1, 2', 'x, y', ';', 'RESIDENT', 'T', 'T:', 'WHERE', 'A > 1', 'FROM', '[lib://c/f.csv]', '(txt, utf8, embedded labels, delimiter is \',\')', 'SET', 'LET', 'v', '=', "'s'", 'DROP', 'TABLE', 'FIELD', 'Section Access;', 'Section Application;', 'AS', '&', 'If(', ')', 'RecNo()', '//', '/*', '*/', 'REM', '\n', '"', "'",
  'FOR i = 1 TO 3\n', 'NEXT\n', 'DO WHILE 1 = 1\n', 'LOOP\n', 'IF 1 = 1 THEN\n', 'ELSE\n', 'END IF\n', 'SUB s(a)\n', 'END SUB\n', 'CALL s(1)\n',
  '$(v)', '$(=1+1)', '$(v(1, 2))', '$(', 'Concatenate', 'Left Join', 'Inner Keep', 'Mapping', "ApplyMap('M', A)", 'GROUP BY A', 'Sum(B)', 'ORDER BY A',
  'WHILE IterNo() < 3', 'AUTOGENERATE 10', 'SubField(B, \',\')', 'Peek(\'A\')', 'Previous(A)', 'Exists(A)', 'SLEEP 10', 'TRACE x', 'EXIT SCRIPT'];
const validScript = fc.array(fc.constantFrom(
  'T: LOAD * INLINE [\nA, B\n1, x\n2, y\n];',
  'U: LOAD A, B & \'!\' AS C RESIDENT T WHERE A > 1;',
  'SET v = 1;',
  'T: LOAD * RESIDENT T;',
  'DROP FIELD B FROM T;',
  'Section Access;\nSA: LOAD * INLINE [\nACCESS, USERID\nADMIN, CORP\\A\n];\nSection Application;',
  'V: LOAD RecNo() AS N, If(A > 1, \'big\', \'small\') AS S RESIDENT T;',
  'FOR i = 1 TO 3\n  W: LOAD $(i) AS I, A RESIDENT T;\nNEXT',
  'LET n = 0;\nDO WHILE n < 5\n  LET n = n + 1;\nLOOP',
  'M: MAPPING LOAD A, B RESIDENT T;\nX: LOAD ApplyMap(\'M\', A, \'?\') AS MA RESIDENT T;',
  'G: LOAD A AS GA, Sum(A) AS S, Concat(B, \',\') AS C RESIDENT T GROUP BY A;',
  'LEFT JOIN (T) LOAD A, B & \'x\' AS JB RESIDENT T;',
  'P: LOAD *, IterNo() AS It WHILE IterNo() <= 3;\nLOAD A AS PA RESIDENT T;',
  'SUB s(a)\n  S: LOAD \'$(a)\' AS SA AUTOGENERATE 1;\nEND SUB\nCALL s(\'x\');',
), { minLength: 1, maxLength: 12 }).map((ss) => ss.join('\n'));
const anyScript = fc.oneof(validScript, mutated(validScript), tokenSoup(SCRIPT_TOKENS, 80), fc.string({ maxLength: 300 }));

export const parserTargets: FuzzTarget[] = [
  {
    name: 'qrs-filter',
    stride: 'Denial of service',
    claim: 'any /qrs filter or orderby text parses or fails with QrsFilterError/RulesError (→ 400), within 250 ms; a compiled filter never throws on any entity',
    testRuns: 300,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(anyFilter, fc.array(entity, { maxLength: 5 }), fc.string({ maxLength: 60 }), (text, entities, orderby) => {
        const r = timed(() => compileQrsFilter(text));
        if (r.error !== undefined && !(r.error instanceof QrsFilterError)) throw new Error(`unexpected ${String(r.error)}`);
        if (r.ms > MAX_PARSE_MS) return false;
        if (r.value) for (const e of entities) r.value(e);
        const o = timed(() => parseOrderBy(orderby));
        if (o.error !== undefined && !(o.error instanceof RulesError)) throw new Error(`unexpected orderby error ${String(o.error)}`);
        return o.ms < MAX_PARSE_MS;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'load-script-parser',
    stride: 'Denial of service',
    claim: 'any load script text parses or fails with a ScriptError carrying line and column, within 250 ms',
    testRuns: 300,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(anyScript, (text) => {
        const r = timed(() => parseScript(text));
        if (r.error !== undefined && !(r.error instanceof ScriptError)) throw new Error(`unexpected ${String(r.error)}`);
        if (r.error instanceof ScriptError && !(r.error.line >= 1 && r.error.column >= 1)) throw new Error('script error without a position');
        return r.ms < MAX_PARSE_MS;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'load-script-run',
    stride: 'Denial of service',
    claim: 'running any script under the reload limits ends (data or a ScriptError) within 3 s — self-doubling RESIDENT loads included',
    testRuns: 60,
    live: false,
    async check(seed, numRuns) {
      return toResult(await fc.check(fc.asyncProperty(anyScript, async (text) => {
        const t0 = performance.now();
        try {
          await runScript(text, { limits: RUN_LIMITS });
        } catch (e) {
          if (!(e instanceof ScriptError)) throw new Error(`unexpected ${String(e)}`);
        }
        return performance.now() - t0 < MAX_RUN_MS;
      }), { seed, numRuns }));
    },
  },
];
