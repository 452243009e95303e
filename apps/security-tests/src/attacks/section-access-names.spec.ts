import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { runProbes, type Probe } from '../test-support/leak-probes';
import { connectQix } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// Information disclosure through section-access names (issue 15, finding 1). The access section is
// upper-cased when it loads, so an OMIT naming a mixed-case field (`Salary`) must still hide that
// field, through every QIX channel; and a name in the access section that resolves to no field of
// the model must fail the reload, naming it — never a warning nobody reads.
const STAFF = [
  ['Ann', 'LAB', 91_234],
  ['Ben', 'LAB', 87_650],
  ['Cid', 'OPS', 79_015],
  ['Dot', 'OPS', 83_377],
] as const;
const SALARIES = STAFF.map((s) => s[2]);
const TOTAL = SALARIES.reduce((x, y) => x + y, 0);

function script(omit: string): string {
  return [
    'Section Access;',
    inline('SA', ['ACCESS', 'USERID', 'OMIT'], [
      ['ADMIN', 'INTERNAL\\SA_SCHEDULER', ''],
      ['ADMIN', 'CORP\\ADMIN', ''],
      ['USER', 'CORP\\ALICE', omit],
    ]),
    'Section Application;',
    inline('Staff', ['Name', 'Dept', 'Salary'], STAFF.map((s) => [...s])),
  ].join('\n');
}

/** Every way a client can ask for a field's values, aimed at `Salary` (and its upper-case spelling). */
const PROBES: Probe[] = ['Salary', 'SALARY', 'salary'].flatMap((field): Probe[] => [
  { kind: 'list', field },
  { kind: 'describe', field },
  { kind: 'cube', dims: [field], measures: ['Count(Name)'] },
  { kind: 'cube', dims: ['Name'], measures: [`Sum(${field})`, `Max(${field})`] },
  { kind: 'evaluate', expr: `Sum(${field})` },
  { kind: 'evaluate', expr: `Only({1} ${field})` },
  { kind: 'selectText', field, value: String(SALARIES[0]) },
]).concat([{ kind: 'tables' }, { kind: 'tableData', table: 'Staff' }]);

const salaryIn = (frames: readonly string[]) => frames.filter((f) => [...SALARIES, TOTAL].some((n) => f.includes(String(n))));

let a: AttackSite;
let app: string;

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Staff', script('Salary'));
  await publish(a, app, await everyoneStream(a));
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › section-access names', () => {
  it('OMIT naming a mixed-case field hides it from values, Evaluate, GetTablesAndKeys, cubes, lists and field methods', async () => {
    // Control: the ADMIN row (no OMIT) sees the field and its values, so the probes below could see them too.
    const admin = await connectQix(a, await a.login(ADMIN), app);
    try {
      const doc = await admin.global.openDoc(app);
      expect(Number(await doc.evaluate('Sum(Salary)'))).toBe(TOTAL);
      await runProbes(doc, PROBES);
      expect(salaryIn(admin.frames).length).toBeGreaterThan(0);
    } finally {
      await admin.close();
    }

    const q = await connectQix(a, await a.login('CORP\\alice'), app);
    try {
      const doc = await q.global.openDoc(app);
      const tables = await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
      expect(tables.qtr.flatMap((t) => t.qFields.map((f) => f.qName))).toEqual(['Name', 'Dept']);
      await expect(doc.getFieldDescription('Salary')).rejects.toMatchObject({ code: 2 });
      await expect(doc.getField('Salary').then((f) => f.getCardinal())).rejects.toBeTruthy();
      const sum = await doc.evaluate('Sum(Salary)').catch(() => 'refused');
      expect(String(sum)).not.toBe(String(TOTAL));
      await runProbes(doc, PROBES);
      expect(salaryIn(q.frames)).toEqual([]);
      // The rest of the app is there: the OMIT hides a column, not rows.
      expect(Number(await doc.evaluate('Count(Name)'))).toBe(STAFF.length);
    } finally {
      await q.close();
    }
  });

  it('an access section naming a field the model does not have fails the reload with a message naming it; the old data stays', async () => {
    for (const [omit, name] of [['Bonus', 'BONUS'], ['Salry', 'SALRY']] as const) {
      ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/script`, { script: script(omit) }), 'set script');
      const r = await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`);
      expect(r.status, omit).toBe(422);
      const body = r.json as { status: string; error: { line: number; message: string } };
      expect(body.status).toBe('failed');
      expect(body.error.message).toContain(name);
      expect(body.error.message).toMatch(/OMIT/);
      expect(body.error.line).toBeGreaterThan(0);
    }
    // A reduction column naming no field fails the same way.
    const reduction = script('Salary').replace('ACCESS, USERID, OMIT', 'ACCESS, USERID, DEPT').replace('USER, CORP\\ALICE, Salary', 'USER, CORP\\ALICE, LAB');
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/script`, { script: reduction }), 'set script');
    const r = await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`);
    expect(r.status).toBe(422);
    expect((r.json as { error: { message: string } }).error.message).toContain('DEPT');
    // The failed reloads left the previous (protected) data in place.
    const q = await connectQix(a, await a.login('CORP\\alice'), app);
    try {
      const doc = await q.global.openDoc(app);
      await expect(doc.getFieldDescription('Salary')).rejects.toMatchObject({ code: 2 });
      expect(Number(await doc.evaluate('Count(Name)'))).toBe(STAFF.length);
    } finally {
      await q.close();
    }
  });
});
