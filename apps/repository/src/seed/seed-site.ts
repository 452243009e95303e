import { SERVICE_ACCOUNT_DIRECTORY, SHIPPED_RULE_EARLIER_FORMS, shippedRules } from '@trustzone/rules';
import { DbErrorCode, isDbError, USER_DIRECTORY_TYPES, type RepositoryStores } from '../db';
import { SYSTEM_ACTOR } from '../security/acting-user';
import { CENTRAL_NODE_NAME, EVERYONE_STREAM_ID, LOCAL_DIRECTORY_NAME, MONITORING_STREAM_ID } from './well-known-ids';

export interface SeedOptions {
  /** `DIRECTORY\userid` of the first administrator (site.json `admin`). */
  admin: string;
  /** The site's host names (site.json `hosts`): the default virtual proxy accepts WebSocket origins from them. */
  hosts: readonly string[];
  /** The proxy's client-facing port, part of each allowed origin. */
  proxyPort: number;
}

// Host names the stored allow list accepts (DNS names and IPv4); IPv6 literals are left out.
const ALLOW_LIST_HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** Creates unless present; a concurrent seeder that got there first counts as present. */
async function ensure(label: string, created: string[], exists: () => Promise<boolean>, create: () => Promise<unknown>): Promise<void> {
  if (await exists()) return;
  try {
    await create();
    created.push(label);
  } catch (e) {
    if (!isDbError(e, DbErrorCode.Duplicate)) throw e;
  }
}

/**
 * Everything a new site needs, created only where missing (idempotent; run by `tz init` and at
 * every repository start): the shipped rules, the Everyone and Monitoring apps streams, the admin
 * user with RootAdmin, the central server node, the default virtual proxy (ticket login, empty
 * prefix) and the INTERNAL (service accounts) and LOCAL user directories. Existing entities are never changed, so an operator's edits survive restarts.
 * Returns labels of what was created.
 */
export async function seedSite(s: RepositoryStores, o: SeedOptions): Promise<string[]> {
  const created: string[] = [];
  const sep = o.admin.indexOf('\\');
  if (sep <= 0 || sep === o.admin.length - 1) throw new Error(`admin '${o.admin}' must be DIRECTORY\\userid`);
  const [adminDir, adminId] = [o.admin.slice(0, sep), o.admin.slice(sep + 1)];

  await ensure('stream:Everyone', created, async () => (await s.streams.find(EVERYONE_STREAM_ID)) !== null, () => s.streams.create({ id: EVERYONE_STREAM_ID, name: 'Everyone' }, SYSTEM_ACTOR));
  await ensure('stream:Monitoring apps', created, async () => (await s.streams.find(MONITORING_STREAM_ID)) !== null, () => s.streams.create({ id: MONITORING_STREAM_ID, name: 'Monitoring apps' }, SYSTEM_ACTOR));

  for (const r of shippedRules({ everyoneStreamId: EVERYONE_STREAM_ID, monitoringStreamId: MONITORING_STREAM_ID })) {
    await ensure(`rule:${r.name}`, created, async () => (await s.securityRules.find(r.id)) !== null, () =>
      s.securityRules.create({
        id: r.id, name: r.name, category: r.category ?? 'Security', type: r.type ?? 'Default', resourceFilter: r.resourceFilter, rule: r.rule,
        actions: r.actions, ruleContext: r.ruleContext, disabled: r.disabled, comment: r.comment ?? '', seedId: r.id,
      }, SYSTEM_ACTOR),
    );
  }
  created.push(...(await upgradeShippedRules(s)));

  await ensure(`user:${o.admin}`, created, async () => (await s.users.findByIdentity(adminDir, adminId)) !== null, () =>
    s.users.create({ userDirectory: adminDir, userId: adminId, name: adminId, roles: ['RootAdmin'] }, SYSTEM_ACTOR),
  );

  const nodes = await s.serverNodes.list();
  let central = nodes.find((n) => n.isCentral) ?? nodes.find((n) => n.name === CENTRAL_NODE_NAME);
  if (!central) {
    central = await s.serverNodes.create({ name: CENTRAL_NODE_NAME, hostName: 'localhost', isCentral: true, engineEnabled: true, proxyEnabled: true, repositoryEnabled: true }, SYSTEM_ACTOR);
    created.push(`node:${CENTRAL_NODE_NAME}`);
  }
  const nodeId = central.id;

  const hosts = [...new Set([...o.hosts, 'localhost'].map((h) => h.toLowerCase()))].filter((h) => ALLOW_LIST_HOST.test(h));
  await ensure('virtualproxy:default', created, async () => (await s.virtualProxies.findByPrefix('')) !== null, () =>
    s.virtualProxies.create({
      prefix: '', description: 'Default virtual proxy', authenticationMethod: 'ticket', anonymousAccessMode: 0, sessionCookieHeaderName: 'X-Qlik-Session',
      websocketCrossOriginWhiteList: hosts.map((h) => `${h}:${o.proxyPort}`), loadBalancingServerNodeIds: [nodeId],
    }, SYSTEM_ACTOR),
  );
  const directories = [
    { name: SERVICE_ACCOUNT_DIRECTORY, type: USER_DIRECTORY_TYPES.internal },
    { name: LOCAL_DIRECTORY_NAME, type: USER_DIRECTORY_TYPES.local },
  ];
  for (const d of directories) {
    await ensure(`userdirectory:${d.name}`, created, async () => (await s.userDirectories.findByName(d.name)) !== null, () =>
      s.userDirectories.create({ name: d.name, userDirectoryName: d.name, type: d.type, creationType: 0 }, SYSTEM_ACTOR),
    );
  }
  return created;
}

/**
 * Shipped rules changed in place (SHIPPED_RULE_EARLIER_FORMS: Owner lost Approve to
 * ApproveAppObjects; CreateAppObjectsUnpublishedApp follows Update on the app): a stored rule is
 * brought to the current form only while it is exactly an earlier one (filter, condition, actions),
 * so an operator's edit is never overwritten. Returns labels of the rules it changed.
 */
async function upgradeShippedRules(s: RepositoryStores): Promise<string[]> {
  const changed: string[] = [];
  const current = shippedRules({ everyoneStreamId: EVERYONE_STREAM_ID, monitoringStreamId: MONITORING_STREAM_ID });
  for (const earlier of SHIPPED_RULE_EARLIER_FORMS) {
    const shipped = current.find((r) => r.name === earlier.name);
    const stored = shipped ? await s.securityRules.find(shipped.id) : null;
    if (!shipped || !stored || stored.resourceFilter !== shipped.resourceFilter || stored.actions !== earlier.actions || stored.rule !== (earlier.rule ?? shipped.rule)) continue;
    try {
      await s.securityRules.update(stored.id, stored.modifiedDate, { rule: shipped.rule, actions: shipped.actions, comment: shipped.comment ?? '' }, SYSTEM_ACTOR);
      changed.push(`rule:${shipped.name} (upgraded)`);
    } catch (e) {
      // Another repository of the site upgraded it first.
      if (!isDbError(e, DbErrorCode.Conflict)) throw e;
    }
  }
  return changed;
}
