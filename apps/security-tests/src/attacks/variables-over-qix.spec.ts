import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords } from '../test-support/audit-trail';
import { type EnigmaDoc, withQixDoc } from '../test-support/qix-client';
import { createApp, everyoneStream, publish, payScript, payTotal } from '../test-support/site-content';

// Variables over QIX (issue 18, item 3). Threats: a reduced user defines or changes a variable every
// other user's expressions expand (tampering), or reads through one — or through `$(=…)` — what
// section access hides (`{1}` must mean "all this user may see"). Changing a persisted variable
// needs Update on the app (the repository's rules, over mTLS) and is refused to reduced users;
// reading is for anyone who may open the app. Variables live in the encrypted app file: they
// survive an engine restart and never reach the repository database.
const MARKER = 'variable-marker-5c2e';
const SCRIPT = payScript(["SET vScriptRegion = 'SOUTH';"]);
const total = payTotal;

interface Variable {
  getLayout(): Promise<{ qText: string; qNum: number | 'NaN'; qIsScriptCreated: boolean }>;
  setStringValue(v: string): Promise<void>;
  setNumValue(v: number): Promise<void>;
  setProperties(p: object): Promise<void>;
  getProperties(): Promise<Record<string, unknown>>;
}
interface VarDoc extends EnigmaDoc {
  createVariableEx(p: object): Promise<{ qId: string }>;
  getVariableByName(n: string): Promise<Variable>;
  destroyVariableByName(n: string): Promise<boolean>;
  destroyVariableById(id: string): Promise<boolean>;
}

let a: AttackSite;
let app: string;

const withDoc = <T>(user: string, run: (doc: VarDoc) => Promise<T>): Promise<T> => withQixDoc(a, user, app, run);

const code = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: { code?: number }) => e.code);

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Salaries', SCRIPT);
  await publish(a, app, await everyoneStream(a));
  // Mallory and Rita may update every app: the rules alone would let both change variables.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'mallory and rita update apps', resourceFilter: 'App_*', actions: 6, ruleContext: 0, rule: 'user.userId = "mallory" or user.userId = "rita"' }), 'rule');
  await withDoc('CORP\\rita', async (doc) => {
    await doc.createVariableEx({ qName: 'vTop', qDefinition: '=Sum({1} SALARY)', qComment: MARKER });
    await doc.createVariableEx({ qName: 'vRegion', qDefinition: 'SOUTH' });
  });
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Tampering / Information disclosure › variables and dollar expansion over QIX', () => {
  it('an owner’s =Sum({1} SALARY) variable and $(=…) evaluate on the reduced view of the user who reads them', async () => {
    const seen = await withDoc('CORP\\mallory', async (doc) => ({
      layout: (await (await doc.getVariableByName('vTop')).getLayout()).qText,
      expanded: await doc.evaluate('$(vTop)'),
      dollar: await doc.evaluate('$(=Sum({1} SALARY))'),
      viaVariable: await doc.evaluate("Sum({1<REGION={'$(vRegion)'}>} SALARY)"),
    }));
    expect(seen).toEqual({ layout: String(total('NORTH')), expanded: String(total('NORTH')), dollar: String(total('NORTH')), viaVariable: '0' });
    // Control: a user section access leaves whole gets the whole sums through the same variables.
    const whole = await withDoc('CORP\\walter', async (doc) => [(await (await doc.getVariableByName('vTop')).getLayout()).qText, await doc.evaluate("Sum({1<REGION={'$(vRegion)'}>} SALARY)")]);
    expect(whole).toEqual([String(total()), String(total('SOUTH'))]);
  });

  it('a user section access reduces cannot create, change or destroy a variable, even with Update', async () => {
    await withDoc('CORP\\mallory', async (doc) => {
      expect(await code(doc.createVariableEx({ qName: 'vMine', qDefinition: '1' }))).toBe(5);
      const top = await doc.getVariableByName('vTop');
      expect(await code(top.setStringValue('=Sum(SALARY)'))).toBe(5);
      expect(await code(top.setNumValue(1))).toBe(5);
      expect(await code(top.setProperties({ qName: 'vTop', qDefinition: '0' }))).toBe(5);
      expect(await code(doc.destroyVariableByName('vTop'))).toBe(5);
    });
    // Nothing changed.
    expect(await withDoc('CORP\\walter', async (doc) => (await (await doc.getVariableByName('vTop')).getLayout()).qText)).toBe(String(total()));
    const denied = (await auditRecords(a.site)).filter((r) => r.actor.user?.toUpperCase() === 'CORP\\MALLORY' && r.outcome === 'denied' && r.target?.id === app);
    expect(denied.map((r) => r.action)).toContain('app.variable.write');
  });

  it('a reader without Update reads variables but cannot change them; the script’s variables are read-only to all', async () => {
    await withDoc('CORP\\walter', async (doc) => {
      expect((await (await doc.getVariableByName('vScriptRegion')).getLayout())).toMatchObject({ qText: 'SOUTH', qIsScriptCreated: true });
      expect(await code(doc.createVariableEx({ qName: 'vWalter', qDefinition: '1' }))).toBe(5);
      expect(await code((await doc.getVariableByName('vRegion')).setStringValue('NORTH'))).toBe(5);
      expect(await code(doc.destroyVariableByName('vRegion'))).toBe(5);
    });
    await withDoc('CORP\\rita', async (doc) => {
      expect(await code((await doc.getVariableByName('vScriptRegion')).setStringValue('NORTH'))).toBe(5);
    });
  });

  it('an allowed owner’s variables persist in the app file: across an engine restart, never in the repository database', async () => {
    await withDoc('CORP\\rita', async (doc) => {
      await doc.createVariableEx({ qName: 'vKept', qDefinition: `'${MARKER}-kept'` });
      await (await doc.getVariableByName('vRegion')).setStringValue('NORTH');
    });
    await a.site.supervisor.kill('engine');
    await a.site.supervisor.startService('engine');
    // The proxy finds the engine again on its own schedule; wait for a doc to open (not for the answer).
    await eventually(() => withDoc('CORP\\walter', async (doc) => doc.evaluate('1')).then(() => true, () => false), 'the restarted engine serves QIX', 60_000);
    const after = await withDoc('CORP\\walter', async (doc) => ({
      kept: await doc.evaluate('$(vKept)'),
      region: await doc.evaluate("Sum({1<REGION={'$(vRegion)'}>} SALARY)"),
      top: (await (await doc.getVariableByName('vTop')).getProperties())['qComment'],
    }));
    expect(after).toEqual({ kept: `${MARKER}-kept`, region: String(total('NORTH')), top: MARKER });
    const db = join(a.site.dataDir, 'db', 'repository.db');
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.includes(app)).toBe(true); // control: the scan reads the real database
    expect(bytes.includes(MARKER)).toBe(false);
    const writes = (await auditRecords(a.site, 'app.variable.write')).filter((r) => r.target?.id === app && r.outcome === 'success');
    expect(writes.length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
