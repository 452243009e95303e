/**
 * The `/qrs` entity types and every place a request names another entity: body fields, query
 * parameters. This is the wire contract clients and the repository share. The repository resolves
 * body references only through this table, and a reference the caller may not read is answered
 * exactly like one that does not exist (proxy-and-repository-api.md: "do not leak existence");
 * apps/security-tests walks the table to prove it for every route.
 */
export const QRS_TYPES = {
  app: 'App',
  'app/object': 'App.Object',
  stream: 'Stream',
  user: 'User',
  systemrule: 'SystemRule',
  custompropertydefinition: 'CustomPropertyDefinition',
  tag: 'Tag',
  dataconnection: 'DataConnection',
  virtualproxyconfig: 'VirtualProxyConfig',
  servernodeconfiguration: 'ServerNodeConfiguration',
  // Reload tasks and their triggers (docs/operations.md "Reload tasks"); execution results are
  // written by the scheduler only: clients list, read and delete them.
  reloadtask: 'ReloadTask',
  schemaevent: 'SchemaEvent',
  compositeevent: 'CompositeEvent',
  executionresult: 'ExecutionResult',
  // Directories users name by `userDirectory` (docs/operations.md "Users, attributes and groups").
  userdirectory: 'UserDirectory',
} as const;

/** Types clients may not create or update (the repository writes them itself). */
export const QRS_READ_ONLY_TYPES: ReadonlySet<QrsType> = new Set<QrsType>(['executionresult']);

export type QrsType = keyof typeof QRS_TYPES;
export type QrsResourceType = (typeof QRS_TYPES)[QrsType];

/**
 * How a body spells a reference (the shapes `GET /qrs/<type>/full` returns, so a client can PUT
 * back what it read):
 * - `user`: `{ id }` or `{ userDirectory, userId }`
 * - `entity`: `{ id }`
 * - `entities`: `[{ id }]`
 * - `named-entities`: `[{ id } | { name }]`
 * - `property-values`: `[{ definition: { id } | { name }, value }]`
 * - `task-rules`: `[{ reloadTask: { id }, ruleState }]` (a composite event's rules)
 */
export type QrsReferenceShape = 'user' | 'entity' | 'entities' | 'named-entities' | 'property-values' | 'task-rules';

export interface QrsReference {
  /** The body field (top level). */
  field: string;
  /** The entity type it names. */
  names: QrsResourceType;
  shape: QrsReferenceShape;
  /** What the error message calls it ("names no known <what>"). */
  what: string;
}

const owner: QrsReference = { field: 'owner', names: 'User', shape: 'user', what: 'user' };
const customProperties: QrsReference = { field: 'customProperties', names: 'CustomPropertyDefinition', shape: 'property-values', what: 'custom property definition' };
const tags: QrsReference = { field: 'tags', names: 'Tag', shape: 'named-entities', what: 'tag' };
const reloadTask: QrsReference = { field: 'reloadTask', names: 'ReloadTask', shape: 'entity', what: 'reload task' };

/**
 * Body references per type, in the order they are resolved. A type without references says so
 * (`[]`): the table is total, so a new type cannot be added without deciding.
 */
export const QRS_BODY_REFERENCES: Readonly<Record<QrsType, readonly QrsReference[]>> = {
  app: [owner, { field: 'stream', names: 'Stream', shape: 'entity', what: 'stream' }, customProperties, tags],
  'app/object': [{ field: 'app', names: 'App', shape: 'entity', what: 'app' }, owner, customProperties, tags],
  stream: [owner, customProperties, tags],
  user: [customProperties, tags],
  systemrule: [],
  custompropertydefinition: [],
  tag: [],
  dataconnection: [owner, customProperties, tags],
  virtualproxyconfig: [{ field: 'loadBalancingServerNodes', names: 'ServerNodeConfiguration', shape: 'entities', what: 'server node' }],
  servernodeconfiguration: [],
  reloadtask: [{ field: 'app', names: 'App', shape: 'entity', what: 'app' }],
  schemaevent: [reloadTask],
  compositeevent: [reloadTask, { field: 'compositeRules', names: 'ReloadTask', shape: 'task-rules', what: 'reload task' }],
  executionresult: [],
  userdirectory: [],
};

/**
 * Fields holding records embedded in the entity (they carry ids of their own but name no other
 * entity): an execution result's details. Not references, so never resolved.
 */
export const QRS_EMBEDDED_FIELDS: Readonly<Partial<Record<QrsType, readonly string[]>>> = {
  executionresult: ['details'],
};

/** How a query parameter spells its reference. */
export type QrsQueryForm = 'guid' | 'directory-user' | 'type-guid';

export interface QrsQueryReference {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The route, `{id}` standing for the app the action works on. */
  path: string;
  param: string;
  names: QrsResourceType | 'any';
  form: QrsQueryForm;
}

/** Query parameters that name entities (the path's own `{id}` is covered by every route's 404). */
export const QRS_QUERY_REFERENCES: readonly QrsQueryReference[] = [
  { method: 'PUT', path: '/qrs/app/{id}/publish', param: 'stream', names: 'Stream', form: 'guid' },
  { method: 'GET', path: '/qrs/systemrule/security/explain', param: 'user', names: 'User', form: 'directory-user' },
  { method: 'GET', path: '/qrs/systemrule/security/explain', param: 'resource', names: 'any', form: 'type-guid' },
  { method: 'PUT', path: '/qrs/app/{id}/replace', param: 'app', names: 'App', form: 'guid' },
];

/** Methods on one entity, `/qrs/<type>/{id}`. */
export const QRS_ENTITY_METHODS = ['GET', 'PUT', 'DELETE'] as const;

/** Qlik's app object state changes, `PUT /qrs/app/object/{id}/<change>` (QRS "App object: Publish" …), rule-checked in the repository. */
export const QRS_APP_OBJECT_CHANGES = ['publish', 'unpublish', 'approve', 'unapprove'] as const;
export type QrsAppObjectChange = (typeof QRS_APP_OBJECT_CHANGES)[number];

export type QrsAppOp = 'publish' | 'copy' | 'get-script' | 'set-script' | 'reload' | 'replace';

/** The app actions, `/qrs/app/{id}/<action>` (the proxy's route table is built from this list). */
export const QRS_APP_ACTIONS: readonly { method: 'GET' | 'PUT' | 'POST'; action: string; op: QrsAppOp }[] = [
  { method: 'PUT', action: 'publish', op: 'publish' },
  { method: 'POST', action: 'copy', op: 'copy' },
  { method: 'GET', action: 'script', op: 'get-script' },
  { method: 'PUT', action: 'script', op: 'set-script' },
  { method: 'POST', action: 'reload', op: 'reload' },
  // Qlik: PUT /qrs/app/{id}/replace?app={target} — the app {id} replaces the content of {target}.
  { method: 'PUT', action: 'replace', op: 'replace' },
];
