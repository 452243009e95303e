import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords, detailsOf } from '../test-support/audit-trail';

// The console's section-access preview (issue 22, beyond Qlik) on a real site: who may ask, what
// the answer may contain (counts and field names, never a value), and that each preview is audited.
// The expected counts are computed here from the raw rows of the script.
const SALES: [string, string, number][] = [['EAST', 'Apples', 1103], ['EAST', 'Pears', 707], ['WEST', 'Apples', 2309], ['WEST', 'Plums', 511], ['NORTH', 'Pears', 317]];
const ACCESS: [string, string, string, string, string][] = [
  ['ADMIN', 'INTERNAL\\SA_SCHEDULER', '*', '', ''],
  ['ADMIN', 'CORP\\ADMIN', '*', '', ''],
  ['USER', 'CORP\\ALICE', '*', 'EAST', 'AMOUNT'],
  ['USER', '*', 'WESTERNERS', 'WEST', ''],
];
const inline = (header: string, rows: readonly (readonly (string | number)[])[]) => `LOAD * INLINE [\n${header}\n${rows.map((r) => r.join(', ')).join('\n')}\n];`;
const SCRIPT = `Section Access;\n${inline('ACCESS, USERID, GROUP, REGION, OMIT', ACCESS)}\nSection Application;\nSales:\n${inline('REGION, PRODUCT, AMOUNT', SALES)}\n`;

const SEC_ADMIN = 'CORP\\secadmin';
const BOB = 'CORP\\bob';
let a: AttackSite;
let published = '';
let draft = '';

interface Preview { decision: string; hiddenFields: string[]; tables: { name: string; rows: number; keptRows: number }[]; denied?: { code: string } }
const preview = (who: string, app: string, query: string) => a.as(who, 'GET', `/qrs/app/${app}/sectionaccess/preview?${query}`);

async function userId(user: string): Promise<{ id: string } & Record<string, unknown>> {
  ok(await a.client('/qrs/app', { headers: { Cookie: await a.login(user) } }), 'first request (the repository records the user)');
  const id = user.split('\\')[1] as string;
  const found = ok<{ id: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent(`userId eq '${id}'`)}`), 'user');
  return ok<{ id: string } & Record<string, unknown>>(await a.as(ADMIN, 'GET', `/qrs/user/${found[0]!.id}`), 'user');
}

beforeAll(async () => {
  a = await startAttackSite();
  const everyone = ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/stream/full'), 'streams').find((s) => s.name === 'Everyone')!;
  for (const name of ['Preview published', 'Preview draft']) {
    const app = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name }), 'app');
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app.id}/script`, { script: SCRIPT }), 'script');
    ok(await a.as(ADMIN, 'POST', `/qrs/app/${app.id}/reload`), 'reload');
    if (name === 'Preview published') published = app.id;
    else draft = app.id;
  }
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${published}/publish?stream=${everyone.id}`), 'publish');
  const sec = await userId(SEC_ADMIN);
  ok(await a.as(ADMIN, 'PUT', `/qrs/user/${sec.id}`, { ...sec, roles: ['SecurityAdmin'] }), 'role');
  const bob = await userId(BOB);
  ok(await a.as(ADMIN, 'PUT', `/qrs/user/${bob.id}`, { ...bob, attributes: [{ attributeType: 'Group', attributeValue: 'Westerners' }] }), 'group');
  await userId('CORP\\alice');
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › section-access preview', { timeout: 60_000 }, () => {
  it('section-access preview: counts per table and hidden fields equal a computation over the raw rows, through the engine', async () => {
    const kept = (regions: string[] | 'all') => SALES.filter((s) => regions === 'all' || regions.includes(s[0])).length;
    const alice = ok<Preview>(await preview(ADMIN, published, 'userDirectory=CORP&userId=alice'), 'alice');
    expect(alice).toMatchObject({ decision: 'granted', hiddenFields: ['AMOUNT'], tables: [{ name: 'Sales', rows: SALES.length, keptRows: kept(['EAST']) }] });
    // Bob's group comes from his stored attributes, as it would for his own app open.
    const bob = ok<Preview>(await preview(ADMIN, published, 'userDirectory=CORP&userId=bob'), 'bob');
    expect(bob).toMatchObject({ decision: 'granted', hiddenFields: [], tables: [{ keptRows: kept(['WEST']) }] });
    expect(ok<Preview>(await preview(ADMIN, published, 'group=WESTERNERS'), 'group').tables[0]?.keptRows).toBe(kept(['WEST']));
    expect(ok<Preview>(await preview(ADMIN, published, 'userDirectory=CORP&userId=admin'), 'admin').tables[0]?.keptRows).toBe(kept('all'));
    const sec = ok<Preview>(await preview(ADMIN, published, 'userDirectory=CORP&userId=secadmin'), 'secadmin');
    expect(sec).toMatchObject({ decision: 'denied', denied: { code: 'NO_MATCHING_ROW' }, tables: [{ keptRows: 0 }] });
  });

  it('section-access preview: a user without admin roles is refused, even for an app they read', async () => {
    ok(await a.as(BOB, 'GET', `/qrs/app/${published}`), 'bob reads the app');
    const r = await preview(BOB, published, 'userDirectory=CORP&userId=alice');
    expect(r.status).toBe(403);
    expect(r.text).not.toContain('Sales');
  });

  it('section-access preview: an admin role that cannot read the app gets 404, as for a missing app', async () => {
    const r = await preview(SEC_ADMIN, draft, 'userDirectory=CORP&userId=alice');
    expect(r.status).toBe(404);
    // The same admin may preview an app they read.
    expect(ok<Preview>(await preview(SEC_ADMIN, published, 'userDirectory=CORP&userId=alice'), 'secadmin preview').decision).toBe('granted');
  });

  it('section-access preview: the answer never carries a row value', async () => {
    const texts = [];
    for (const q of ['userDirectory=CORP&userId=alice', 'userDirectory=CORP&userId=bob', 'userDirectory=CORP&userId=admin', 'group=WESTERNERS', 'group=NOBODY']) texts.push((await preview(ADMIN, published, q)).text);
    const all = texts.join('\n');
    for (const v of new Set(SALES.flatMap((r) => [r[0], r[1], String(r[2])]))) expect(all, v).not.toMatch(new RegExp(`"${v}"|\\b${v}\\b`));
  });

  it('section-access preview: bad input is refused naming the field (both user and group, neither, unknown user)', async () => {
    const both = await preview(ADMIN, published, 'userDirectory=CORP&userId=alice&group=X');
    expect(both.status).toBe(400);
    expect((both.json as { error: { field?: string } }).error.field).toBe('group');
    const neither = await preview(ADMIN, published, '');
    expect(neither.status).toBe(400);
    expect((neither.json as { error: { field?: string } }).error.field).toBe('userId');
    expect((await preview(ADMIN, published, 'userDirectory=CORP&userId=nobody-here')).status).toBe(404);
  });

  it('section-access preview: every preview is audited with the admin, the app and the previewed user or group', async () => {
    ok(await preview(ADMIN, published, 'userDirectory=CORP&userId=alice'), 'preview');
    ok(await preview(ADMIN, published, 'group=WESTERNERS'), 'group preview');
    const records = await auditRecords(a.site, 'app.sectionaccess.preview');
    const mine = records.filter((r) => r.actor.user === ADMIN && r.target?.id === published);
    expect(mine.some((r) => detailsOf(r)['user'] === 'CORP\\alice')).toBe(true);
    expect(mine.some((r) => detailsOf(r)['group'] === 'WESTERNERS')).toBe(true);
    // A refused preview leaves a denial record naming the refused operation.
    await preview(BOB, published, 'userDirectory=CORP&userId=alice');
    const denials = await auditRecords(a.site, 'access.denied');
    expect(denials.some((r) => r.actor.user === BOB && detailsOf(r)['operation'] === 'AuthorizeSectionAccessPreview')).toBe(true);
  });
});
