import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';
import { cube, type CubeRow } from './test-support/qix-client';
import { qlikRepoApi, qrsInteract } from './test-support/qlik-clients';

// Users with Qlik's attributes, driven by qrs-interact (raw QRS bodies in Qlik's shape) and
// qlik-repo-api (user filters), opened with enigma.js. One definition of a user's groups — their
// attributes of type Group, whether set through /qrs or by a ticket login — must decide both a
// `user.group` security rule and the GROUP rows of section access. Expected answers are computed
// from the rows of the script and the groups each user is given here.

const ROWS = Array.from({ length: 24 }, (_, i) => ({ id: i + 1, region: ['EAST', 'WEST', 'NORTH'][i % 3] as string, amount: 5 * (i + 1) + (i % 4) }));
/** Section access: each team sees its region (GROUP rows; identities are upper-cased by the engine). */
const TEAMS: Record<string, string> = { EastTeam: 'EAST', WestTeam: 'WEST' };
const SCRIPT = `Section Access;
LOAD * INLINE [
ACCESS, USERID, GROUP, REGION
ADMIN, CORP\\ADMIN, , 
${Object.entries(TEAMS).map(([team, region]) => `USER, *, ${team.toUpperCase()}, ${region}`).join('\n')}
];
Section Application;
Sales: LOAD * INLINE [
ID, REGION, AMOUNT
${ROWS.map((r) => `${r.id}, ${r.region}, ${r.amount}`).join('\n')}
];`;
const MEASURES = ['Sum(AMOUNT)', 'Count(ID)'];

function expected(groups: string[]): CubeRow[] {
  const regions = groups.map((g) => TEAMS[g]).filter((r): r is string => r !== undefined);
  const by = new Map<string, number[]>();
  for (const r of ROWS) if (regions.includes(r.region)) by.set(r.region, [...(by.get(r.region) ?? []), r.amount]);
  return [...by].map(([dim, a]) => ({ dim, values: [a.reduce((x, y) => x + y, 0), a.length] })).sort((x, y) => x.dim.localeCompare(y.dim));
}

let s: ConformanceSite;
let appId: string;

beforeAll(async () => {
  s = await startConformanceSite();
  appId = ((await s.admin('POST', '/qrs/app', { name: 'Team sales' })).json as { id: string }).id;
  expect((await s.admin('PUT', `/qrs/app/${appId}/script`, { script: SCRIPT })).status).toBe(200);
  expect((await s.admin('POST', `/qrs/app/${appId}/reload`)).status).toBe(200);
  // The app is private to its owner; a custom rule opens it to the teams by user.group.
  const qrs = qrsInteract(s);
  const rule = await qrs.Post('systemrule', {
    name: 'Teams read team sales', category: 'Security', type: 'Custom', resourceFilter: `App_${appId}`, actions: 2, ruleContext: 1, disabled: false,
    rule: Object.keys(TEAMS).map((t) => `user.group = "${t}"`).join(' or '), comment: '',
  }, 'json');
  expect(rule.statusCode, JSON.stringify(rule.body)).toBe(201);
}, 300_000);

afterAll(async () => {
  await s?.stop();
});

describe('users and attributes (qrs-interact, qlik-repo-api, enigma.js)', () => {
  it('a user created with Qlik attributes keeps them, in Qlik\'s shape', async () => {
    const qrs = qrsInteract(s);
    const attributes = [{ attributeType: 'Group', attributeValue: 'EastTeam', externalId: 'cn=east' }, { attributeType: 'email', attributeValue: 'gus@corp.example', externalId: '' }];
    const created = await qrs.Post('user', { userId: 'gus', userDirectory: 'CORP', name: 'Gus', attributes }, 'json');
    expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
    const id = (created.body as { id: string }).id;
    const read = (await qrs.Get(`user/${id}`)).body as { attributes: { attributeType: string; attributeValue: string; externalId: string }[] };
    expect(read.attributes.map(({ attributeType, attributeValue, externalId }) => ({ attributeType, attributeValue, externalId }))).toEqual(attributes);
  });

  it('unknown keys in a user body are refused with 400 naming them', async () => {
    // qrs-interact rejects on a non-2xx answer with the status and the body in the message.
    await expect(qrsInteract(s).Post('user', { userId: 'typo', userDirectory: 'CORP', attributez: [] }, 'json')).rejects.toThrow(/400.*body\.attributez/);
    expect((await s.admin('GET', `/qrs/user/count?filter=${encodeURIComponent("userId eq 'typo'")}`)).json).toEqual({ value: 0 });
  });

  it('a Group attribute set through QRS is matched by a user.group rule and by a GROUP row of section access', async () => {
    expect(await cube(s, 'gus', appId, 'REGION', MEASURES)).toEqual(expected(['EastTeam']));
    // A user without a team group: the rule does not let them open the app at all.
    expect((await qrsInteract(s).Post('user', { userId: 'hal', userDirectory: 'CORP', attributes: [{ attributeType: 'Group', attributeValue: 'Other' }] }, 'json')).statusCode).toBe(201);
    await expect(cube(s, 'hal', appId, 'REGION', MEASURES)).rejects.toThrow();
  });

  it('a group from ticket login attributes is matched by the same rule and the same GROUP rows', async () => {
    expect(await cube(s, 'ivy', appId, 'REGION', MEASURES, [{ group: 'WestTeam' }])).toEqual(expected(['WestTeam']));
    // Persisted onto the user, marked with its source; QRS-set groups add to it.
    const qrs = qrsInteract(s);
    const ivy = ((await qrs.Get("user/full?filter=userId eq 'ivy'")).body as { id: string; modifiedDate: string; attributes: { attributeType: string; attributeValue: string; source: string }[] }[])[0]!;
    expect(ivy.attributes.map((a) => `${a.source}:${a.attributeType}=${a.attributeValue}`)).toEqual(['ticket:group=WestTeam']);
    const put = await qrs.Put(`user/${ivy.id}`, { ...ivy, attributes: [...ivy.attributes, { attributeType: 'Group', attributeValue: 'EastTeam' }] });
    expect(put.statusCode, JSON.stringify(put.body)).toBe(200);
    expect(await cube(s, 'ivy', appId, 'REGION', MEASURES, [{ group: 'WestTeam' }])).toEqual(expected(['EastTeam', 'WestTeam']));
    // The next login replaces the previous login's groups only: the QRS-set one stays.
    expect(await cube(s, 'ivy', appId, 'REGION', MEASURES)).toEqual(expected(['EastTeam']));
  });

  it('filters with parentheses and and/or, orderby, count and privileges', async () => {
    const repo = await qlikRepoApi(s);
    const filter = "(userId eq 'gus' or userId eq 'hal') and userDirectory eq 'CORP'";
    const found = await repo.users.getFilter({ filter });
    expect(found.map((u) => u.details.userId).sort()).toEqual(['gus', 'hal']);
    const qrs = qrsInteract(s);
    const ordered = (await qrs.Get(`user?filter=${encodeURIComponent(filter)}&orderby=${encodeURIComponent('userId desc')}`)).body as { userId: string }[];
    expect(ordered.map((u) => u.userId)).toEqual(['hal', 'gus']);
    expect((await qrs.Get(`user/count?filter=${encodeURIComponent(filter)}`)).body).toEqual({ value: 2 });
    const withPrivileges = (await qrs.Get(`user/full?filter=${encodeURIComponent("userId eq 'gus'")}&privileges=true`)).body as { privileges: string[] }[];
    expect(withPrivileges[0]!.privileges).toEqual(expect.arrayContaining(['read', 'update', 'changerole']));
  });

  it('user directories: LOCAL and INTERNAL ship; a local directory is created and renamed (qrs-interact), read and removed (qlik-repo-api); its users are managed through /qrs/user', async () => {
    const qrs = qrsInteract(s);
    const repo = await qlikRepoApi(s);
    const shipped = ['INTERNAL', 'LOCAL'];
    expect((await repo.userDirectories.getFilter(shipped.map((n) => `userDirectoryName eq '${n}'`).join(' or '))).map((d) => d.details.userDirectoryName).sort()).toEqual(shipped);
    const local = (await repo.userDirectories.getFilter("userDirectoryName eq 'LOCAL'"))[0]!;

    const created = await qrs.Post('userdirectory', { name: 'Partners', userDirectoryName: 'PARTNERS', type: local.details.type }, 'json');
    expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(await repo.userDirectories.count()).toEqual({ value: shipped.length + 1 });
    // qrs-interact rejects on a non-2xx answer with the status and the body in the message.
    await expect(qrs.Post('userdirectory', { userDirectoryName: 'OTHER', colour: 'red' }, 'json')).rejects.toThrow(/400.*body\.colour/);

    const user = await qrs.Post('user', { userId: 'pat', userDirectory: 'PARTNERS', name: 'Pat' }, 'json');
    expect(user.statusCode, JSON.stringify(user.body)).toBe(201);
    const dir = await repo.userDirectories.get(id);
    // qlik-repo-api's update() stamps modifiedDate with the client's clock, not the date it read:
    // accepted, as Qlik's QRS accepts any modifiedDate not older than the stored one.
    await dir.update({ name: 'Partner users' });
    const renamed = await qrs.Get(`userdirectory/${id}`);
    expect([renamed.statusCode, renamed.body]).toEqual([200, expect.objectContaining({ name: 'Partner users', userDirectoryName: 'PARTNERS' })]);
    // A PUT carrying a modifiedDate older than the stored one is still a conflict.
    await expect(qrs.Put(`userdirectory/${id}`, { ...dir.details, modifiedDate: new Date(Date.parse((renamed.body as { modifiedDate: string }).modifiedDate) - 1000).toISOString(), name: 'stale' }))
      .rejects.toThrow(/409/);
    await expect(qrs.Delete(`userdirectory/${id}`)).rejects.toThrow(/409.*still has 1 user\b/);
    expect((await qrs.Delete(`user/${(user.body as { id: string }).id}`)).statusCode).toBe(204);
    expect(await (await repo.userDirectories.get(id)).remove()).toBe(204);
    expect(await repo.userDirectories.count()).toEqual({ value: shipped.length });

    const internal = (await repo.userDirectories.getFilter("userDirectoryName eq 'INTERNAL'"))[0]!;
    await expect(qrs.Delete(`userdirectory/${internal.details.id}`)).rejects.toThrow(/409.*INTERNAL/);
  });
});
