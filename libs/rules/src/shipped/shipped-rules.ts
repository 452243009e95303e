import { ACTION_BITS, ALL_ACTIONS_MASK } from '../model/action-bits';
import type { RuleEntity } from '../model/rule-entity';
import { RulesError, RulesErrorCode } from '../rules.error';

export interface ShippedRuleOptions {
  readonly everyoneStreamId: string;
  readonly monitoringStreamId: string;
}

const ALL_BUT_CHANGE_ROLE = ALL_ACTIONS_MASK & ~ACTION_BITS.changerole;
/** Create is left to the Create* rules: the would-be entity's owner is always its creator, so an
 *  Owner rule with Create would allow every creation everywhere (and in every context). */
const OWNER_ACTIONS = ALL_BUT_CHANGE_ROLE & ~ACTION_BITS.create & ~ACTION_BITS.approve;
const UNPUBLISHED_APP_CREATE = 'resource.app.stream.Empty() and resource.app.HasPrivilege("update") and !user.IsAnonymous()';

/**
 * Shipped rules changed in place since a site may have been seeded: each earlier form (condition and
 * actions). seed-site.ts brings a stored rule to the current form only while it is exactly an earlier
 * one, so an operator's edit is never overwritten.
 */
export const SHIPPED_RULE_EARLIER_FORMS: readonly { name: string; rule: string | null; actions: number }[] = [
  // Owner granted Approve before ApproveAppObjects (same condition).
  { name: 'Owner', rule: null, actions: ALL_BUT_CHANGE_ROLE & ~ACTION_BITS.create },
  // Only the app owner created objects in an unpublished app.
  { name: 'CreateAppObjectsUnpublishedApp', rule: 'resource.app.stream.Empty() and resource.app.owner = user and !user.IsAnonymous()', actions: ACTION_BITS.create },
];

const CRUD = ACTION_BITS.create | ACTION_BITS.read | ACTION_BITS.update | ACTION_BITS.delete;
const ADMIN_ROLES = ['RootAdmin', 'ContentAdmin', 'SecurityAdmin', 'AuditAdmin', 'DeploymentAdmin'];
const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/**
 * Qlik's service accounts (INTERNAL\sa_api, sa_repository, sa_scheduler) are root administrators by
 * a shipped rule, in both contexts. Only the proxy API port asserts them (an integration
 * certificate acting as sa_api by default); no login on the client-facing port can be in the
 * INTERNAL directory (apps/proxy auth/identity-rules.ts), and the scheduler acts as sa_scheduler
 * inside the repository.
 */
export const SERVICE_ACCOUNTS = ['sa_api', 'sa_repository', 'sa_scheduler'] as const;
export const SERVICE_ACCOUNT_DIRECTORY = 'INTERNAL';
const SERVICE_ACCOUNT_RULE = 41;

/** Fixed ids, so re-seeding a site is idempotent and audits name the same rule across sites. */
const ID = (n: number): string => `5eed0000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/**
 * The rule table seeded at site init (security-rules.md "Shipped rules"), as data. Conditions are
 * real rule text, compiled like any custom rule. ChangeRole is RootAdmin's alone: no other role
 * can hand out roles (including its own promotion). Beyond the reference table: Owner excludes
 * Create (see OWNER_ACTIONS), so CreateAppObjectsUnpublishedApp lets an app's owner create its
 * objects, and MonitoringAppsStream opens the monitoring stream to the admin roles. Owner excludes
 * Approve too: approving makes a community sheet a base sheet of the app, a decision about the app,
 * so ApproveAppObjects gives it to whoever may update the app (Qlik: "app owners approve community
 * sheets"; the Engine API's Approve/UnApprove need the approve right, Publish/UnPublish publish).
 */
export function shippedRules(options: ShippedRuleOptions): RuleEntity[] {
  for (const id of [options.everyoneStreamId, options.monitoringStreamId]) {
    if (typeof id !== 'string' || !STREAM_ID.test(id)) throw new RulesError(RulesErrorCode.INVALID_RULE, `invalid stream id '${String(id)}'`);
  }
  const rule = (n: number, name: string, resourceFilter: string, actions: number, ruleContext: 0 | 1 | 2, text: string, comment: string): RuleEntity => ({
    id: ID(n),
    name,
    resourceFilter,
    rule: text,
    actions,
    ruleContext,
    disabled: false,
    type: n <= 5 || n === SERVICE_ACCOUNT_RULE ? 'ReadOnly' : 'Default',
    category: 'Security',
    comment,
  });
  return [
    rule(1, 'RootAdmin', '*', ALL_ACTIONS_MASK, 2, 'user.roles = "RootAdmin"', 'RootAdmin: every action on every resource type in the management context'),
    rule(2, 'ContentAdmin', 'App*,Stream_*,DataConnection_*,Tag_*,CustomPropertyDefinition_*,ContentLibrary_*,ReloadTask_*', ALL_BUT_CHANGE_ROLE, 2, 'user.roles = "ContentAdmin"', 'ContentAdmin manages apps, streams, connections and their metadata'),
    rule(3, 'SecurityAdmin', 'SystemRule_*,User_*,VirtualProxyConfig_*,CustomPropertyDefinition_*', CRUD, 2, 'user.roles = "SecurityAdmin"', 'SecurityAdmin manages security rules, users and virtual proxies'),
    rule(4, 'AuditAdmin', '*', ACTION_BITS.read, 2, 'user.roles = "AuditAdmin"', 'AuditAdmin reads everything (audit), changes nothing'),
    rule(5, 'DeploymentAdmin', 'ServerNodeConfiguration_*,VirtualProxyConfig_*,ReloadTask_*,App_*', CRUD, 2, 'user.roles = "DeploymentAdmin"', 'DeploymentAdmin manages nodes, proxies, tasks and apps'),
    rule(6, 'Stream', 'App*', ACTION_BITS.read, 0,
      '(resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))',
      'An app is readable when its stream is; published objects when their app\'s stream is'),
    rule(7, 'Owner', 'App*,Stream_*,DataConnection_*', OWNER_ACTIONS, 0,
      'resource.IsOwned() and resource.owner = user and (!(resource.resourcetype = "App.Object")' +
        ' or (resource.app.stream.Empty() and resource.app.owner = user)' +
        ' or (!resource.app.stream.Empty() and !(resource.approved = "true") and resource.app.HasPrivilege("read")))',
      'Owners may do everything but create, approve and change roles; objects need their app: own unpublished app, or a readable published app where base (approved) objects are read-only'),
    rule(8, 'CreateApp', 'App_*', ACTION_BITS.create, 1, '!user.IsAnonymous()', 'Identified users may create apps in the hub'),
    rule(9, 'StreamEveryone', `Stream_${options.everyoneStreamId}`, ACTION_BITS.read | ACTION_BITS.publish, 0, '!user.IsAnonymous()', 'Identified users read and publish to the Everyone stream'),
    rule(10, 'StreamEveryoneAnonymous', `Stream_${options.everyoneStreamId}`, ACTION_BITS.read, 0, 'user.IsAnonymous()', 'Anonymous users read the Everyone stream'),
    rule(11, 'CreateAppObjectsPublishedApp', 'App.Object_*', ACTION_BITS.create, 1,
      '!resource.app.stream.Empty() and resource.app.HasPrivilege("read") and (resource.objectType = "sheet" or resource.objectType = "bookmark" or resource.objectType = "story") and !user.IsAnonymous()',
      'Private sheets, bookmarks and stories on published apps the user can read'),
    rule(14, 'CreateAppObjectsUnpublishedApp', 'App.Object_*', ACTION_BITS.create, 1,
      UNPUBLISHED_APP_CREATE,
      'Whoever may update an unpublished app (its owner, by default) creates its objects'),
    rule(16, 'AppObjectsUnpublishedApp', 'App.Object_*', ACTION_BITS.read | ACTION_BITS.update | ACTION_BITS.delete, 0,
      'resource.app.stream.Empty() and resource.app.HasPrivilege("update") and !user.IsAnonymous()',
      'The objects of an unpublished app are its content: whoever may update the app changes them (a new rule, so existing sites get it at their next start)'),
    rule(17, 'ReadAppObjectsUnpublishedApp', 'App.Object_*', ACTION_BITS.read, 0,
      'resource.app.stream.Empty() and resource.app.HasPrivilege("read")',
      'Whoever may read an unpublished app reads its objects (a new rule, so existing sites get it at their next start)'),
    rule(15, 'ApproveAppObjects', 'App.Object_*', ACTION_BITS.approve, 0,
      '!resource.app.stream.Empty() and resource.app.HasPrivilege("update") and resource.published = "true"',
      'Users who may update a published app approve and unapprove its published objects (community sheets become base sheets and back; a new rule, so existing sites get it at their next start)'),
    rule(12, 'DataConnection', 'DataConnection_*', ACTION_BITS.read, 1,
      '!user.IsAnonymous() and ((resource.IsOwned() and resource.owner = user) or resource.@AccessGroup = user.group)',
      'Identified users read connections they own or whose AccessGroup custom property names one of their groups'),
    rule(40, 'TaskAdmin', 'ReloadTask_*,SchemaEvent_*,CompositeEvent_*,ExecutionResult_*', CRUD, 2, 'user.roles = "ContentAdmin" or user.roles = "DeploymentAdmin"',
      'Content and deployment administrators manage reload tasks, their triggers and their results (a new rule, so sites seeded before tasks existed get it)'),
    rule(SERVICE_ACCOUNT_RULE, 'ServiceAccount', '*', ALL_ACTIONS_MASK, 0,
      `user.userDirectory = "${SERVICE_ACCOUNT_DIRECTORY}" and (${SERVICE_ACCOUNTS.map((id) => `user.userId = "${id}"`).join(' or ')})`,
      'Service accounts (INTERNAL\\sa_*) are root administrators; only an integration certificate on the proxy API port can act as one (a new rule, so existing sites get it at their next start)'),
    rule(13, 'MonitoringAppsStream', `Stream_${options.monitoringStreamId}`, ACTION_BITS.read, 0,
      ADMIN_ROLES.map((role) => `user.roles = "${role}"`).join(' or '),
      'Administrators read the monitoring apps stream'),
  ];
}
