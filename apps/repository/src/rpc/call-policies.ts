import { callers, type MethodPolicy } from '@trustzone/contracts';
import { CLI_INTEGRATION_NAME } from '@trustzone/trust';

const proxy = callers.services('proxy');
const engine = callers.services('engine');
const proxyOrEngine = callers.services('proxy', 'engine');
/** The operator CLI records certificate and key operations (it holds the `tz-cli` integration certificate). */
const operatorCli = callers.integration(CLI_INTEGRATION_NAME);

/** Acting for an end user the proxy authenticated: the `/qrs` API. */
const forProxyUser: MethodPolicy = { callers: proxy, user: 'required' };

/**
 * Who may call what (trust-zone.md "Authorization of communication"). A user assertion is honoured
 * only from `asserters` (default: the proxy); the engine relays the proxy's user for reloads and
 * app opens. Anything else asserting a user is refused by the guard and audited.
 */
export const CALL_POLICIES = {
  About: { callers: proxyOrEngine, user: 'optional' },
  Authorize: { callers: proxyOrEngine, user: 'required', asserters: proxyOrEngine },
  ResolveUser: { callers: proxy, user: 'none' },
  RecordLogin: forProxyUser,
  ListEntities: { callers: proxyOrEngine, user: 'required', asserters: proxyOrEngine },
  // The engine reads the app it opens (its name) for the user it relays; rules apply as for the proxy.
  GetEntity: { callers: proxyOrEngine, user: 'required', asserters: proxyOrEngine },
  CreateEntity: forProxyUser,
  UpdateEntity: forProxyUser,
  DeleteEntity: forProxyUser,
  PublishApp: forProxyUser,
  CopyApp: forProxyUser,
  // The engine holds the script (in the app file) and asks for the user the proxy relayed.
  AuthorizeAppScript: { callers: engine, user: 'required', asserters: engine },
  RecordAppScript: { callers: engine, user: 'required', asserters: engine },
  // App objects live in the app file: only the engine asks about them and keeps their rows, for the
  // user the proxy relayed. A proxy or integration certificate is refused by the guard.
  AuthorizeAppObjects: { callers: engine, user: 'required', asserters: engine },
  RegisterAppObject: { callers: engine, user: 'required', asserters: engine },
  RenameAppObject: { callers: engine, user: 'required', asserters: engine },
  RemoveAppObject: { callers: engine, user: 'required', asserters: engine },
  // /qrs/app/object/{id}/publish… through the proxy; GenericObject Publish/Approve through the engine.
  ChangeAppObjectState: { callers: proxyOrEngine, user: 'required', asserters: proxyOrEngine },
  // Rows for objects an app file held before rows existed: the engine, for no user (the file is the source).
  RegisterExistingAppObjects: { callers: engine, user: 'none' },
  AuditMatrix: forProxyUser,
  AuditMatrixQlik: forProxyUser,
  Explain: forProxyUser,
  ListVirtualProxies: { callers: proxy, user: 'none' },
  PrepareReload: { callers: engine, user: 'required', asserters: engine },
  RecordReload: { callers: engine, user: 'optional', asserters: engine },
  RecordAudit: { callers: callers.anyOf(proxyOrEngine, operatorCli), user: 'optional', asserters: proxyOrEngine },
  ReadAudit: forProxyUser,
  CreateReloadTask: forProxyUser,
  StartTask: forProxyUser,
  ScriptLogLink: forProxyUser,
  DownloadScriptLog: forProxyUser,
  ExportApp: forProxyUser,
  ReplaceApp: forProxyUser,
  // The engine claims an export link while it streams the file for the user who asked.
  ClaimAppExport: { callers: engine, user: 'required', asserters: engine },
  // The proxy dry-runs an import before it streams the file; only the engine commits (checked in the handler).
  RegisterAppImport: { callers: proxyOrEngine, user: 'required', asserters: proxyOrEngine },
  // The engine computes a section-access preview for the admin the proxy relayed, after asking here.
  AuthorizeSectionAccessPreview: { callers: engine, user: 'required', asserters: engine },
  SiteCertificates: forProxyUser,
  VerifyAudit: forProxyUser,
  RevokeSiteCertificate: forProxyUser,
  RotateSiteCertificate: forProxyUser,
  PreviewRule: forProxyUser,
} satisfies Record<string, MethodPolicy>;
