import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../engine/rule-engine';
import { ACTION_NAMES } from '../model/action-bits';
import type { Resource } from '../model/subject';
import { RESOURCE_TYPES } from '../model/subject';
import { RulesError } from '../rules.error';
import { makeApp, makeObject, makeStream, makeUser, ownerRef } from '../testing/fixtures';
import { SERVICE_ACCOUNTS, shippedRules } from './shipped-rules';

const EVERYONE = 'a1b2c3d4-0000-4000-8000-000000000001';
const MONITORING = 'a1b2c3d4-0000-4000-8000-000000000002';
const engine = RuleEngine.compile(shippedRules({ everyoneStreamId: EVERYONE, monitoringStreamId: MONITORING }));

const owner = makeUser({ id: 'u-owner', userId: 'olivia', groups: ['Sales'] });
const other = makeUser({ id: 'u-other', userId: 'oscar' });
const anonymous = makeUser({ id: 'u-anon', userId: 'anon-1', userDirectory: 'ANON', anonymous: true });
const admin = (role: string) => makeUser({ id: `u-${role}`, userId: role.toLowerCase(), roles: [role] });

const everyone = makeStream(EVERYONE, { name: 'Everyone' });
const restricted = makeStream('s-restricted', { name: 'Board' });
const monitoring = makeStream(MONITORING, { name: 'Monitoring apps' });
const privateApp = makeApp('app-private', { owner: ownerRef(owner) });
const publicApp = makeApp('app-public', { owner: ownerRef(owner), stream: everyone });
const boardApp = makeApp('app-board', { owner: ownerRef(owner), stream: restricted });
const baseSheet = makeObject('obj-base', publicApp, { properties: { objectType: ['sheet'], published: ['true'], approved: ['true'] }, owner: ownerRef(owner) });
const ownPrivateSheet = makeObject('obj-mine', publicApp, { owner: ownerRef(other) });
const sampleOf = (type: string): Resource => ({ resourcetype: type, id: `${type}-1`, name: type, properties: {}, customProperties: {}, owner: ownerRef(other) });

const can = (user = other, resource: Resource = publicApp, action = 'read', context: 'hub' | 'management' = 'hub') => engine.isAllowed(user, resource, action, context);

describe('shippedRules', () => {
  it('compiles every shipped rule without a problem', () => {
    expect(engine.problems).toEqual([]);
    expect(engine.rules.map((r) => r.name)).toEqual(
      expect.arrayContaining(['RootAdmin', 'ContentAdmin', 'SecurityAdmin', 'AuditAdmin', 'DeploymentAdmin', 'Stream', 'Owner', 'CreateApp', 'StreamEveryone', 'StreamEveryoneAnonymous', 'CreateAppObjectsPublishedApp', 'DataConnection']),
    );
  });

  it('refuses invalid stream ids', () => {
    expect(() => shippedRules({ everyoneStreamId: 'x,*', monitoringStreamId: MONITORING })).toThrow(RulesError);
  });

  it('RootAdmin holds every action on every resource type in the management context', () => {
    for (const type of RESOURCE_TYPES) {
      expect(engine.privileges(admin('RootAdmin'), sampleOf(type), 'management')).toEqual([...ACTION_NAMES]);
    }
  });

  it('the service accounts INTERNAL\\sa_api, sa_repository, sa_scheduler hold every action in both contexts; nobody else by name', () => {
    for (const id of SERVICE_ACCOUNTS) {
      const sa = makeUser({ id: `u-${id}`, userId: id.toUpperCase(), userDirectory: 'internal' });
      for (const type of RESOURCE_TYPES) for (const ctx of ['hub', 'management'] as const) expect(engine.privileges(sa, sampleOf(type), ctx)).toEqual([...ACTION_NAMES]);
    }
    for (const u of [makeUser({ id: 'u-x', userId: 'sa_api', userDirectory: 'CORP' }), makeUser({ id: 'u-y', userId: 'sa_other', userDirectory: 'INTERNAL' })]) {
      expect(engine.privileges(u, sampleOf('SystemRule'), 'management')).toEqual([]);
    }
  });

  it('RootAdmin has no admin powers in the hub', () => {
    expect(can(admin('RootAdmin'), privateApp)).toBe(false);
  });

  it('ContentAdmin manages apps but cannot change roles or touch security rules', () => {
    expect(engine.privileges(admin('ContentAdmin'), privateApp, 'management')).toEqual(ACTION_NAMES.filter((a) => a !== 'changerole'));
    expect(engine.privileges(admin('ContentAdmin'), sampleOf('SystemRule'), 'management')).toEqual([]);
  });

  it('SecurityAdmin manages rules and users without ChangeRole; AuditAdmin only reads', () => {
    expect(engine.privileges(admin('SecurityAdmin'), sampleOf('SystemRule'), 'management')).toEqual(['create', 'read', 'update', 'delete']);
    expect(can(admin('SecurityAdmin'), sampleOf('User'), 'changerole', 'management')).toBe(false);
    expect(engine.privileges(admin('AuditAdmin'), sampleOf('SystemRule'), 'management')).toEqual(['read']);
    expect(engine.privileges(admin('AuditAdmin'), privateApp, 'management')).toEqual(['read']);
    expect(engine.privileges(admin('DeploymentAdmin'), sampleOf('ServerNodeConfiguration'), 'management')).toEqual(['create', 'read', 'update', 'delete']);
  });

  it('an unpublished app is visible only to its owner', () => {
    expect(can(owner, privateApp)).toBe(true);
    expect(can(other, privateApp)).toBe(false);
    expect(can(anonymous, privateApp)).toBe(false);
    expect(can(other, privateApp, 'read', 'management')).toBe(false);
  });

  it('the owner may do everything but create, approve and change roles', () => {
    // Management context: CreateApp (hub only) does not add Create there.
    expect(engine.privileges(owner, privateApp, 'management')).toEqual(ACTION_NAMES.filter((a) => a !== 'changerole' && a !== 'create' && a !== 'approve'));
  });

  it('apps in the Everyone stream are readable by identified and anonymous users', () => {
    expect(can(other, publicApp)).toBe(true);
    expect(can(anonymous, publicApp)).toBe(true);
    expect(can(other, publicApp, 'update')).toBe(false);
  });

  it('identified users may publish to the Everyone stream, anonymous users may not', () => {
    expect(engine.privileges(other, everyone, 'hub')).toEqual(['read', 'publish']);
    expect(engine.privileges(anonymous, everyone, 'hub')).toEqual(['read']);
  });

  it('apps in a stream nobody was granted are readable only by their owner', () => {
    expect(can(other, boardApp)).toBe(false);
    expect(can(owner, boardApp)).toBe(true);
  });

  it('base objects of a published app are readable by stream readers and read-only even for the owner', () => {
    expect(can(other, baseSheet)).toBe(true);
    expect(can(owner, baseSheet, 'update')).toBe(false);
    expect(can(owner, baseSheet, 'delete')).toBe(false);
  });

  it('a private sheet on a published app belongs to its owner alone', () => {
    expect(can(other, ownPrivateSheet, 'update')).toBe(true);
    expect(can(owner, ownPrivateSheet)).toBe(false);
  });

  it('CreateAppObjectsPublishedApp: readers of a published app create sheets, bookmarks and stories', () => {
    const wouldBe = (type: string, app: Resource, user = other) => makeObject('new', app, { owner: ownerRef(user), properties: { objectType: [type], published: ['false'], approved: ['false'] } });
    expect(can(other, wouldBe('sheet', publicApp), 'create')).toBe(true);
    expect(can(other, wouldBe('bookmark', publicApp), 'create')).toBe(true);
    expect(can(other, wouldBe('masterobject', publicApp), 'create')).toBe(false);
    expect(can(anonymous, wouldBe('sheet', publicApp, anonymous), 'create')).toBe(false);
    expect(can(other, wouldBe('sheet', boardApp), 'create')).toBe(false);
    expect(can(other, wouldBe('sheet', publicApp), 'create', 'management')).toBe(false);
  });

  it('only the owner of an unpublished app creates objects in it', () => {
    expect(can(owner, makeObject('new', privateApp, { owner: ownerRef(owner) }), 'create')).toBe(true);
    expect(can(other, makeObject('new', privateApp, { owner: ownerRef(other) }), 'create')).toBe(false);
  });

  it('CreateApp: identified users create apps in the hub only', () => {
    const newApp = makeApp('new', { owner: ownerRef(other) });
    expect(can(other, newApp, 'create')).toBe(true);
    expect(can(anonymous, makeApp('new', { owner: ownerRef(anonymous) }), 'create')).toBe(false);
    expect(can(other, newApp, 'create', 'management')).toBe(false);
  });

  it('DataConnection: owners and AccessGroup members read, anonymous users do not', () => {
    const conn = { resourcetype: 'DataConnection', id: 'dc1', name: 'Sales DB', customProperties: { AccessGroup: ['sales'] }, owner: ownerRef(other) };
    expect(can(other, conn)).toBe(true);
    expect(can(owner, conn)).toBe(true);
    expect(can(makeUser({ id: 'x', userId: 'x', groups: ['HR'] }), conn)).toBe(false);
    expect(can(makeUser({ id: 'y', userId: 'y', groups: ['Sales'], anonymous: true }), conn)).toBe(false);
  });

  it('sheet lifecycle in a published app: the owner publishes a private sheet, readers then see it, whoever may update the app approves it', () => {
    const sheet = (published: boolean, approved: boolean, by = other) =>
      makeObject('obj-community', publicApp, { owner: ownerRef(by), properties: { objectType: ['sheet'], published: [String(published)], approved: [String(approved)] } });
    const reader = makeUser({ id: 'u-reader', userId: 'rachel' });
    // Create is decided on a would-be object (CreateAppObjectsPublishedApp); here: what one may do with this one.
    const rights = (u: typeof owner, r: Resource) => engine.privileges(u, r, 'hub').filter((a) => a !== 'create');
    // Private: its owner reads, updates, deletes and publishes it; nobody else sees it, the app owner included.
    expect(rights(other, sheet(false, false))).toEqual(['read', 'update', 'delete', 'export', 'publish', 'changeowner', 'exportdata', 'accessoffline', 'distribute', 'duplicate']);
    expect(can(reader, sheet(false, false))).toBe(false);
    expect(can(owner, sheet(false, false))).toBe(false);
    // The sheet's owner never approves it (that would make their sheet a base sheet of someone else's app).
    expect(can(other, sheet(true, false), 'approve')).toBe(false);
    // Published (community): readers of the app read it and nothing more; the app owner approves it.
    expect(rights(reader, sheet(true, false))).toEqual(['read']);
    expect(can(owner, sheet(true, false), 'approve')).toBe(true);
    expect(can(owner, sheet(false, false), 'approve')).toBe(false);
    // Approved (base): read-only for its owner too; the app owner may unapprove it.
    expect(rights(other, sheet(true, true))).toEqual(['read']);
    expect(can(owner, sheet(true, true), 'approve')).toBe(true);
    expect(can(reader, sheet(true, true), 'approve')).toBe(false);
    // Objects of an unpublished app are never approved: nothing to approve them into.
    expect(can(owner, makeObject('o', privateApp, { owner: ownerRef(owner), properties: { objectType: ['sheet'], published: ['true'], approved: ['false'] } }), 'approve')).toBe(false);
  });

  it('the monitoring stream is readable by administrators only', () => {
    expect(can(admin('AuditAdmin'), monitoring)).toBe(true);
    expect(can(other, monitoring)).toBe(false);
  });
});
