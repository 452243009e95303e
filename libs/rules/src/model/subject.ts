/**
 * Input snapshots the repository builds from its database rows for one request. They are plain
 * data: the engine never mutates them and never follows anything that is not listed here.
 *
 * Multi-valued everything: a property is a list of strings; an absent key or an empty list is a
 * *missing* property (false with every operator, true for Empty()). Booleans are the strings
 * "true"/"false" (security-rules.md: "Booleans compare as the strings").
 */
export type Values = Readonly<Record<string, readonly string[]>>;

/** The requesting user. `environment` holds the session attributes from login (ticket attributes,
 *  JWT claims, header values, ip, browser, …); it is never persisted on the user. */
export interface User {
  readonly id: string;
  readonly userId: string;
  readonly userDirectory: string;
  readonly name: string;
  readonly email?: string | null;
  /** Admin roles: RootAdmin, ContentAdmin, SecurityAdmin, AuditAdmin, DeploymentAdmin, custom strings. */
  readonly roles: readonly string[];
  /** Directory groups (`user.group`). */
  readonly groups: readonly string[];
  readonly customProperties: Values;
  readonly environment: Values;
  readonly anonymous: boolean;
}

/** A user as the owner of a resource (`resource.owner`, `.name`, `.userId`, `.group`, `.@cp`). */
export interface UserRef {
  readonly id: string;
  readonly userId: string;
  readonly userDirectory: string;
  readonly name: string;
  readonly email?: string | null;
  readonly groups?: readonly string[];
  readonly roles?: readonly string[];
  readonly customProperties?: Values;
}

/**
 * A resource with its related resources inlined as objects, so `resource.stream.HasPrivilege()`
 * and `resource.app.stream.…` evaluate on real snapshots. `stream` is null for an unpublished app;
 * `app` is the parent app of an App.Object.
 */
export interface Resource {
  /** "App", "App.Object", "Stream", "User", "DataConnection", "SystemRule", … (see RESOURCE_TYPES). */
  readonly resourcetype: string;
  readonly id: string;
  readonly name: string;
  /** published, approved, objectType, … (see RESOURCE_PROPERTY_NAMES); keys exactly as listed there. */
  readonly properties?: Values;
  readonly customProperties?: Values;
  readonly owner?: UserRef | null;
  readonly stream?: Resource | null;
  readonly app?: Resource | null;
}

/** Context of a request: hub/app paths → 'hub' (environment.context "AppAccess"),
 *  the management API → 'management' ("ManagementAccess"). */
export type RequestContext = 'hub' | 'management';

export const CONTEXT_ATTRIBUTE: Readonly<Record<RequestContext, string>> = {
  hub: 'AppAccess',
  management: 'ManagementAccess',
};

/** Resource type names the shipped rules use; the repository should spell its types the same way. */
export const RESOURCE_TYPES = [
  'App',
  'App.Object',
  'Stream',
  'User',
  'DataConnection',
  'SystemRule',
  'CustomPropertyDefinition',
  'Tag',
  'VirtualProxyConfig',
  'ServerNodeConfiguration',
  'ReloadTask',
  'SchemaEvent',
  'CompositeEvent',
  'ExecutionResult',
  'UserDirectory',
  'ContentLibrary',
] as const;

/**
 * Property names a condition may read through `resource.<name>` (besides resourcetype, id, name,
 * owner, stream, app and @custom properties). Anything else is an unknown path: a typo must not
 * silently read as "missing" — under a `!` that would grant.
 */
export const RESOURCE_PROPERTY_NAMES = [
  'published',
  'approved',
  'objectType',
  'description',
  'userId',
  'userDirectory',
  'email',
  'type',
  'category',
  'disabled',
  'inactive',
  'blacklisted',
  'removedExternally',
  'connectionstring',
] as const;
