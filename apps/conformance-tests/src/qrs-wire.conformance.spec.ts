import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QRS_TYPES } from '@trustzone/contracts';
import { httpRequest } from '@trustzone/site-harness';
import { startConformanceSite, type ConformanceSite } from './test-support/conformance-site';
import { qlikRepoApi, qrsInteract } from './test-support/qlik-clients';

// QRS wire details as Qlik clients and Qlik's own examples use them: `Xrfkey=` and `/QRS/`,
// /qrs/about and its API description, every entity type's list / full / count with privileges, the
// App fields Qlik returns, and the security audit matrix in Qlik's request and response shapes.

let s: ConformanceSite;
const KEY = 'AbCdEfGh12345678';

beforeAll(async () => {
  s = await startConformanceSite();
}, 300_000);

afterAll(async () => {
  await s?.stop();
});

/** A raw call with Qlik's example spelling of the CSRF pair, on the proxy API port acting as CORP\admin. */
const raw = (method: string, path: string, body?: unknown) =>
  httpRequest(s.site, s.site.ports.proxyApi, path, { method, xrfkey: false, cert: s.certs, headers: { 'X-Qlik-Xrfkey': KEY, 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });

describe('QRS wire details (qrs-interact, qlik-repo-api)', () => {
  it('accepts Xrfkey= and /QRS/ as Qlik\'s examples write them', async () => {
    for (const path of [`/qrs/about?Xrfkey=${KEY}`, `/QRS/about?xrfkey=${KEY}`, `/QRS/App/Full?XRFKEY=${KEY}`]) expect((await raw('GET', path)).status, path).toBe(200);
    expect((await raw('GET', '/qrs/about?Xrfkey=AbCdEfGh12345679')).status).toBe(403); // control: the pair must still match
  });

  it('/qrs/about answers Qlik\'s About fields; /qrs/about/api/description lists the paths', async () => {
    const about = ((await qrsInteract(s).Get('about')).body) as Record<string, unknown>;
    for (const k of ['buildVersion', 'buildDate', 'databaseProvider', 'nodeType', 'sharedPersistence', 'requiresBootstrap', 'singleNodeOnly']) expect(about, k).toHaveProperty(k);
    expect(about['schemaPath']).toBe('About');
    const paths = (await qrsInteract(s).Get('about/api/description?method=GET')).body as string[];
    for (const t of Object.keys(QRS_TYPES)) expect(paths).toEqual(expect.arrayContaining([`GET /qrs/${t}`, `GET /qrs/${t}/full`, `GET /qrs/${t}/count`]));
    expect(paths.every((p) => p.startsWith('GET '))).toBe(true);
  });

  it('lists, full lists and counts every entity type, with privileges when asked', async () => {
    const qrs = qrsInteract(s);
    for (const t of Object.keys(QRS_TYPES)) {
      const full = (await qrs.Get(`${t}/full?privileges=true`)).body as { id: string; privileges?: unknown }[];
      expect((await qrs.Get(`${t}/count`)).body, t).toEqual({ value: full.length });
      expect(((await qrs.Get(t)).body as unknown[]).length, t).toBe(full.length);
      for (const e of full) expect(Array.isArray(e.privileges), `${t} ${e.id}`).toBe(true);
    }
  });

  it('the App JSON carries every field Qlik returns', async () => {
    const repo = await qlikRepoApi(s);
    const created = await qrsInteract(s).Post('app', { name: 'Wire app' }, 'json');
    const app = (await repo.apps.get({ id: (created.body as { id: string }).id })).details as unknown as Record<string, unknown>;
    for (const k of ['id', 'createdDate', 'modifiedDate', 'modifiedByUserName', 'customProperties', 'owner', 'name', 'appId', 'sourceAppId', 'targetAppId', 'publishTime', 'published', 'tags', 'description', 'stream', 'fileSize', 'lastReloadTime', 'thumbnail', 'savedInProductVersion', 'migrationHash', 'dynamicColor', 'availabilityStatus', 'schemaPath']) {
      expect(app, k).toHaveProperty(k);
    }
    // What a client read it may PUT back unchanged.
    expect((await qrsInteract(s).Put(`app/${app['id'] as string}`, app)).statusCode).toBe(200);
  });

  it('POST /qrs/systemrule/security/audit/matrix answers Qlik\'s AuditMatrix for Qlik\'s parameters', async () => {
    const qrs = qrsInteract(s);
    const names = ['Matrix A', 'Matrix B'];
    const ids = [] as string[];
    for (const name of names) ids.push(((await qrs.Post('stream', { name }, 'json')).body as { id: string }).id);
    const users = ((await qrs.Get(`user/full?filter=${encodeURIComponent("userId eq 'admin'")}`)).body as { id: string; userId: string }[]);
    const r = await qrs.Post('systemrule/security/audit/matrix', {
      resourceType: 'Stream',
      resourceRef: { resourceFilter: names.map((n) => `name eq '${n}'`).join(' or ') },
      subjectRef: { resourceFilter: "userId eq 'admin'" },
      actions: 2 | 4,
      environmentAttributes: '',
      resourceProperties: ['name'],
      subjectProperties: ['name', 'userid', 'userdirectory'],
      auditLimit: 1000,
      outputObjectsPrivileges: 2,
    }, 'json');
    expect(r.statusCode).toBe(201);
    const m = r.body as { schemaPath: string; subjects: Record<string, { subjectProperties: Record<string, unknown> }>; resources: Record<string, { resourceProperties: { name: string } }>; matrix: { resourceId: string; subjectId: string; audit: { access: number } }[] };
    expect(m.schemaPath).toBe('AuditMatrix');
    expect(Object.keys(m.subjects)).toEqual(users.map((u) => u.id));
    expect(m.subjects[users[0]!.id]!.subjectProperties).toMatchObject({ userid: 'admin', userdirectory: 'CORP' });
    expect(Object.values(m.resources).map((x) => x.resourceProperties.name).sort()).toEqual([...names].sort());
    // admin is RootAdmin: read and update on both streams, nothing beyond the bits asked for.
    expect(m.matrix.map((c) => [c.resourceId, c.subjectId, c.audit.access]).sort()).toEqual(ids.map((id) => [id, users[0]!.id, 2 | 4]).sort());
  });
});
