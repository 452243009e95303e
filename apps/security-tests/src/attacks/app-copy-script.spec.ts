import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, rpc } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// Information disclosure › app copies. Reading an app's load script needs Update (the script holds
// the section-access table and the connection names). A user who may only read an app must not get
// its script by copying it: the copy is made without the script, as Qlik's QMC does ("the script is
// only duplicated if you also have read access to the script"), so nothing in the copy, its script,
// its reload or its QIX session reveals the original script or the rows section access hides.
let a: AttackSite;
let bob: string;
let payroll: string;
const frames: string[] = [];
const MARKER = 'payroll-script-marker-5e1f';

const SCRIPT = [
  `// ${MARKER}`,
  'Section Access;',
  inline('SA', ['ACCESS', 'USERID', 'REGION'], [['ADMIN', 'CORP\\ADMIN', ''], ['USER', 'CORP\\BOB', 'NORTH']]),
  'Section Application;',
  inline('Salaries', ['REGION', 'NAME', 'SALARY'], [['NORTH', 'Nora', 51234], ['SOUTH', 'Sam', 98765]]),
].join('\n');
const HIDDEN_FROM_BOB = ['Sam', '98765', 'SOUTH'];

const asBob = (method: string, path: string, body?: unknown) => a.client(path, { method, headers: { Cookie: bob }, ...(body === undefined ? {} : { body }) });

/** Every table row bob's QIX session shows of an app (empty when it cannot be opened). */
async function bobSees(appId: string): Promise<string> {
  const q = await connectQix(a, bob, appId);
  try {
    const doc = await q.global.openDoc(appId);
    const tables = await doc.getTablesAndKeys({ qcx: 100, qcy: 100 }, { qcx: 0, qcy: 0 }, 30, false, false);
    const out: string[] = [];
    for (const t of tables.qtr) out.push(JSON.stringify(await doc.getTableData(0, 100, false, t.qName)));
    // The QIX protocol has no way to the script either.
    const script = await rpc(q.socket, JSON.stringify({ jsonrpc: '2.0', id: 901, method: 'GetScript', handle: 1, params: [] }), 901);
    out.push(JSON.stringify(script));
    return out.join('\n');
  } catch (e) {
    return `not opened: ${String(e)}`;
  } finally {
    frames.push(...q.frames);
    await q.close();
  }
}

beforeAll(async () => {
  a = await startAttackSite();
  bob = await a.login('CORP\\bob');
  payroll = await createApp(a, 'Payroll', SCRIPT);
  await publish(a, payroll, await everyoneStream(a));
  // The site lets bob create apps through the API (copies included); nothing grants him Update on payroll.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'bob creates apps', resourceFilter: 'App_*', actions: 1, ruleContext: 0, rule: 'user.userId = "bob"' }), 'rule');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › app copy', () => {
  it('a user who may read an app but not its script gets a copy without the script: not through /qrs, not through its reload or QIX', async () => {
    expect((await asBob('GET', `/qrs/app/${payroll}/script`)).status).toBe(403); // control: reading the script needs Update
    expect(await bobSees(payroll)).toContain('Nora'); // control: bob reads the app, reduced
    const copy = ok<{ id: string }>(await asBob('POST', `/qrs/app/${payroll}/copy`), 'bob copies').id;

    // Bob owns the copy (Update), but its data keeps the security table that reduces him: the
    // script of an app that reduces you is not yours to read or rewrite, copy or not.
    const read = await asBob('GET', `/qrs/app/${copy}/script`);
    expect(read.status).toBe(403);
    expect(read.text).not.toContain(MARKER);
    for (const v of HIDDEN_FROM_BOB) expect(read.text).not.toContain(v);
    // What the copy opens with: the copied data, still reduced by its security table.
    const opened = await bobSees(copy);
    expect(opened).toContain('Nora');
    for (const v of HIDDEN_FROM_BOB) expect(opened).not.toContain(v);
    // The attack: write a script without section access into the copy, reload it, open it.
    const stripped = inline('Salaries', ['REGION', 'NAME', 'SALARY'], [['NORTH', 'Nora', 1]]);
    expect((await asBob('PUT', `/qrs/app/${copy}/script`, { script: stripped })).status).toBe(403);
    const reload = await asBob('POST', `/qrs/app/${copy}/reload`);
    for (const v of HIDDEN_FROM_BOB) expect(reload.text).not.toContain(v);
    const seen = await bobSees(copy);
    for (const v of HIDDEN_FROM_BOB) expect(seen).not.toContain(v);

    const record = ok<{ records: { actor: { user?: string }; target?: { id: string }; details?: Record<string, unknown> }[] }>(await a.as(ADMIN, 'GET', '/qrs/audit?action=app.copy'), 'audit').records.find((r) => r.target?.id === copy);
    expect(record).toMatchObject({ actor: { user: 'CORP\\bob' }, details: { copiedFrom: payroll, script: 'withheld' } });
  });

  it('a user who may read the script (Update on the app) copies it with the script', async () => {
    const copy = ok<{ id: string }>(await a.as(ADMIN, 'POST', `/qrs/app/${payroll}/copy`), 'admin copies').id;
    expect(ok<{ script: string }>(await a.as(ADMIN, 'GET', `/qrs/app/${copy}/script`), 'copy script').script).toBe(SCRIPT);
  });
});

describeResponseScan(() => a, () => frames.map((f) => ({ where: 'qix frame', text: f })));
