export { createQixSession } from './qix-session';
export { clipInput, isQixError, QixError, QixErrorCode, type QixErrorOptions } from './qix.error';
export { DEFAULT_QIX_LIMITS, resolveQixLimits, type QixLimits } from './qix-limits';
export { QIX_SCHEMA_VERSION } from './global-methods';
export type { ConnectionPort, DataConnectionInfo, ClosingNotification, DocListEntry, OpenedApp, QixAuditEvent, QixAuditOutcome, QixSession, QixSessionDeps, QixUser, ObjectPort, ScriptPort, ScriptReloadResult, VariablePort } from './qix-session.types';
export { privateCell, SharedSelections, type HeldCell, type SelectionCell, type SharedSelectionsOptions } from './shared-selections';
export { localObjectAccess, type AppFacts, type AppObjectRef, type ObjectAccess, type ObjectAccessContext, type ObjectAction } from './objects/object-access';
export { AppObjectWatchers } from './objects/object-watchers';
export { CUBE_CACHE } from './cube-cache';
