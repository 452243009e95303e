// Original file: libs/contracts/proto/repository.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AppExportManifest as _trustzone_v1_AppExportManifest, AppExportManifest__Output as _trustzone_v1_AppExportManifest__Output } from '../../trustzone/v1/AppExportManifest';
import type { AppImportRequest as _trustzone_v1_AppImportRequest, AppImportRequest__Output as _trustzone_v1_AppImportRequest__Output } from '../../trustzone/v1/AppImportRequest';
import type { AppObjectRow as _trustzone_v1_AppObjectRow, AppObjectRow__Output as _trustzone_v1_AppObjectRow__Output } from '../../trustzone/v1/AppObjectRow';
import type { AppObjectStateChange as _trustzone_v1_AppObjectStateChange, AppObjectStateChange__Output as _trustzone_v1_AppObjectStateChange__Output } from '../../trustzone/v1/AppObjectStateChange';
import type { AppObjectsCheck as _trustzone_v1_AppObjectsCheck, AppObjectsCheck__Output as _trustzone_v1_AppObjectsCheck__Output } from '../../trustzone/v1/AppObjectsCheck';
import type { AppObjectsDecision as _trustzone_v1_AppObjectsDecision, AppObjectsDecision__Output as _trustzone_v1_AppObjectsDecision__Output } from '../../trustzone/v1/AppObjectsDecision';
import type { AppScriptAccess as _trustzone_v1_AppScriptAccess, AppScriptAccess__Output as _trustzone_v1_AppScriptAccess__Output } from '../../trustzone/v1/AppScriptAccess';
import type { AuditEvent as _trustzone_v1_AuditEvent, AuditEvent__Output as _trustzone_v1_AuditEvent__Output } from '../../trustzone/v1/AuditEvent';
import type { AuthorizeRequest as _trustzone_v1_AuthorizeRequest, AuthorizeRequest__Output as _trustzone_v1_AuthorizeRequest__Output } from '../../trustzone/v1/AuthorizeRequest';
import type { AuthorizeResponse as _trustzone_v1_AuthorizeResponse, AuthorizeResponse__Output as _trustzone_v1_AuthorizeResponse__Output } from '../../trustzone/v1/AuthorizeResponse';
import type { CopyAppRequest as _trustzone_v1_CopyAppRequest, CopyAppRequest__Output as _trustzone_v1_CopyAppRequest__Output } from '../../trustzone/v1/CopyAppRequest';
import type { DownloadRequest as _trustzone_v1_DownloadRequest, DownloadRequest__Output as _trustzone_v1_DownloadRequest__Output } from '../../trustzone/v1/DownloadRequest';
import type { Empty as _trustzone_v1_Empty, Empty__Output as _trustzone_v1_Empty__Output } from '../../trustzone/v1/Empty';
import type { EntityRef as _trustzone_v1_EntityRef, EntityRef__Output as _trustzone_v1_EntityRef__Output } from '../../trustzone/v1/EntityRef';
import type { EntityWrite as _trustzone_v1_EntityWrite, EntityWrite__Output as _trustzone_v1_EntityWrite__Output } from '../../trustzone/v1/EntityWrite';
import type { ExistingAppObjects as _trustzone_v1_ExistingAppObjects, ExistingAppObjects__Output as _trustzone_v1_ExistingAppObjects__Output } from '../../trustzone/v1/ExistingAppObjects';
import type { ExplainRequest as _trustzone_v1_ExplainRequest, ExplainRequest__Output as _trustzone_v1_ExplainRequest__Output } from '../../trustzone/v1/ExplainRequest';
import type { ExportAppRequest as _trustzone_v1_ExportAppRequest, ExportAppRequest__Output as _trustzone_v1_ExportAppRequest__Output } from '../../trustzone/v1/ExportAppRequest';
import type { JsonPayload as _trustzone_v1_JsonPayload, JsonPayload__Output as _trustzone_v1_JsonPayload__Output } from '../../trustzone/v1/JsonPayload';
import type { ListEntitiesRequest as _trustzone_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _trustzone_v1_ListEntitiesRequest__Output } from '../../trustzone/v1/ListEntitiesRequest';
import type { LoginRecord as _trustzone_v1_LoginRecord, LoginRecord__Output as _trustzone_v1_LoginRecord__Output } from '../../trustzone/v1/LoginRecord';
import type { PublishAppRequest as _trustzone_v1_PublishAppRequest, PublishAppRequest__Output as _trustzone_v1_PublishAppRequest__Output } from '../../trustzone/v1/PublishAppRequest';
import type { ReloadOutcome as _trustzone_v1_ReloadOutcome, ReloadOutcome__Output as _trustzone_v1_ReloadOutcome__Output } from '../../trustzone/v1/ReloadOutcome';
import type { ReloadPlan as _trustzone_v1_ReloadPlan, ReloadPlan__Output as _trustzone_v1_ReloadPlan__Output } from '../../trustzone/v1/ReloadPlan';
import type { ReplaceAppRequest as _trustzone_v1_ReplaceAppRequest, ReplaceAppRequest__Output as _trustzone_v1_ReplaceAppRequest__Output } from '../../trustzone/v1/ReplaceAppRequest';
import type { ResolveUserRequest as _trustzone_v1_ResolveUserRequest, ResolveUserRequest__Output as _trustzone_v1_ResolveUserRequest__Output } from '../../trustzone/v1/ResolveUserRequest';
import type { ScriptLogDownload as _trustzone_v1_ScriptLogDownload, ScriptLogDownload__Output as _trustzone_v1_ScriptLogDownload__Output } from '../../trustzone/v1/ScriptLogDownload';
import type { ScriptLogLinkRequest as _trustzone_v1_ScriptLogLinkRequest, ScriptLogLinkRequest__Output as _trustzone_v1_ScriptLogLinkRequest__Output } from '../../trustzone/v1/ScriptLogLinkRequest';
import type { SectionAccessPreviewRequest as _trustzone_v1_SectionAccessPreviewRequest, SectionAccessPreviewRequest__Output as _trustzone_v1_SectionAccessPreviewRequest__Output } from '../../trustzone/v1/SectionAccessPreviewRequest';
import type { StartTaskRequest as _trustzone_v1_StartTaskRequest, StartTaskRequest__Output as _trustzone_v1_StartTaskRequest__Output } from '../../trustzone/v1/StartTaskRequest';

/**
 * The repository: entities, security rules, audit trail. Every call acting for an end user carries
 * the user in call metadata (see libs/contracts/src/user-assertion.ts); the repository accepts the
 * assertion only from identities allowed to impersonate (the proxy, the engine for app access).
 * Entity payloads are JSON in the QRS shapes; the repository validates them (zod) at its edge.
 */
export interface RepositoryClient extends grpc.Client {
  About(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  About(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  About(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  About(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  about(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  about(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  about(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  about(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  AuditMatrix(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrix(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrix(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrix(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrix(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrix(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrix(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrix(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * Qlik's shapes: AuditMatrixParameters in, AuditMatrix out (POST /qrs/systemrule/security/audit/matrix).
   */
  AuditMatrixQlik(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrixQlik(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrixQlik(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuditMatrixQlik(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Qlik's shapes: AuditMatrixParameters in, AuditMatrix out (POST /qrs/systemrule/security/audit/matrix).
   */
  auditMatrixQlik(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrixQlik(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrixQlik(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  auditMatrixQlik(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  Authorize(argument: _trustzone_v1_AuthorizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _trustzone_v1_AuthorizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _trustzone_v1_AuthorizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _trustzone_v1_AuthorizeRequest, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  authorize(argument: _trustzone_v1_AuthorizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  authorize(argument: _trustzone_v1_AuthorizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  authorize(argument: _trustzone_v1_AuthorizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  authorize(argument: _trustzone_v1_AuthorizeRequest, callback: grpc.requestCallback<_trustzone_v1_AuthorizeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * App objects (sheets, stories, bookmarks, master items…) live in the app file; the repository
   * knows each one as an App.Object row (owner, published, approved) and decides with the security
   * rules. The engine asks for the user it relays, one round trip per question: which of these
   * objects may the user <action>? It registers, renames and removes the rows it stores (engine
   * only). Publish/unpublish/approve/unapprove are rule-checked state changes (the /qrs endpoints
   * through the proxy, the QIX methods through the engine).
   */
  AuthorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  AuthorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  AuthorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  AuthorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  /**
   * App objects (sheets, stories, bookmarks, master items…) live in the app file; the repository
   * knows each one as an App.Object row (owner, published, approved) and decides with the security
   * rules. The engine asks for the user it relays, one round trip per question: which of these
   * objects may the user <action>? It registers, renames and removes the rows it stores (engine
   * only). Publish/unpublish/approve/unapprove are rule-checked state changes (the /qrs endpoints
   * through the proxy, the QIX methods through the engine).
   */
  authorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  authorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  authorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  authorizeAppObjects(argument: _trustzone_v1_AppObjectsCheck, callback: grpc.requestCallback<_trustzone_v1_AppObjectsDecision__Output>): grpc.ClientUnaryCall;
  
  /**
   * The load script lives in the app file (the engine reads and writes it); the engine asks here
   * first (Update on the app, audited) and records a write afterwards (audit, modifiedDate).
   */
  AuthorizeAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeAppScript(argument: _trustzone_v1_AppScriptAccess, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeAppScript(argument: _trustzone_v1_AppScriptAccess, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * The load script lives in the app file (the engine reads and writes it); the engine asks here
   * first (Update on the app, audited) and records a write afterwards (audit, modifiedDate).
   */
  authorizeAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeAppScript(argument: _trustzone_v1_AppScriptAccess, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeAppScript(argument: _trustzone_v1_AppScriptAccess, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * The engine asks before a section-access preview, for the admin the proxy relayed: Read on the
   * app and on the security rules, Read on the previewed user; answers who to preview (the user's
   * groups as the rules see them) and records the preview in the audit trail.
   */
  AuthorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  AuthorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * The engine asks before a section-access preview, for the admin the proxy relayed: Read on the
   * app and on the security rules, Read on the previewed user; answers who to preview (the user's
   * groups as the rules see them) and records the preview in the audit trail.
   */
  authorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  authorizeSectionAccessPreview(argument: _trustzone_v1_SectionAccessPreviewRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ClaimAppExport(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  ClaimAppExport(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  ClaimAppExport(argument: _trustzone_v1_DownloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  ClaimAppExport(argument: _trustzone_v1_DownloadRequest, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  claimAppExport(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  claimAppExport(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  claimAppExport(argument: _trustzone_v1_DownloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  claimAppExport(argument: _trustzone_v1_DownloadRequest, callback: grpc.requestCallback<_trustzone_v1_AppExportManifest__Output>): grpc.ClientUnaryCall;
  
  CopyApp(argument: _trustzone_v1_CopyAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CopyApp(argument: _trustzone_v1_CopyAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CopyApp(argument: _trustzone_v1_CopyAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CopyApp(argument: _trustzone_v1_CopyAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  copyApp(argument: _trustzone_v1_CopyAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  copyApp(argument: _trustzone_v1_CopyAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  copyApp(argument: _trustzone_v1_CopyAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  copyApp(argument: _trustzone_v1_CopyAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  CreateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateEntity(argument: _trustzone_v1_EntityWrite, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateEntity(argument: _trustzone_v1_EntityWrite, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createEntity(argument: _trustzone_v1_EntityWrite, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createEntity(argument: _trustzone_v1_EntityWrite, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reload tasks (docs/operations.md "Reload tasks and the scheduler").
   */
  CreateReloadTask(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateReloadTask(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateReloadTask(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  CreateReloadTask(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Reload tasks (docs/operations.md "Reload tasks and the scheduler").
   */
  createReloadTask(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createReloadTask(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createReloadTask(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  createReloadTask(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  DeleteEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteEntity(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteEntity(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteEntity(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteEntity(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  DownloadScriptLog(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  DownloadScriptLog(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  DownloadScriptLog(argument: _trustzone_v1_DownloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  DownloadScriptLog(argument: _trustzone_v1_DownloadRequest, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  downloadScriptLog(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  downloadScriptLog(argument: _trustzone_v1_DownloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  downloadScriptLog(argument: _trustzone_v1_DownloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  downloadScriptLog(argument: _trustzone_v1_DownloadRequest, callback: grpc.requestCallback<_trustzone_v1_ScriptLogDownload__Output>): grpc.ClientUnaryCall;
  
  Explain(argument: _trustzone_v1_ExplainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  Explain(argument: _trustzone_v1_ExplainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  Explain(argument: _trustzone_v1_ExplainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  Explain(argument: _trustzone_v1_ExplainRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  explain(argument: _trustzone_v1_ExplainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  explain(argument: _trustzone_v1_ExplainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  explain(argument: _trustzone_v1_ExplainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  explain(argument: _trustzone_v1_ExplainRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * App export and import (docs/operations.md "App export and import"). The proxy asks for an export
   * link and for replaces; the engine claims a link when it streams the export, and registers an
   * import (a dry run first: the rights, before the file is stored) once the file checked out.
   */
  ExportApp(argument: _trustzone_v1_ExportAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ExportApp(argument: _trustzone_v1_ExportAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ExportApp(argument: _trustzone_v1_ExportAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ExportApp(argument: _trustzone_v1_ExportAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * App export and import (docs/operations.md "App export and import"). The proxy asks for an export
   * link and for replaces; the engine claims a link when it streams the export, and registers an
   * import (a dry run first: the rights, before the file is stored) once the file checked out.
   */
  exportApp(argument: _trustzone_v1_ExportAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  exportApp(argument: _trustzone_v1_ExportAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  exportApp(argument: _trustzone_v1_ExportAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  exportApp(argument: _trustzone_v1_ExportAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  GetEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  GetEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  GetEntity(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  GetEntity(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  getEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  getEntity(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  getEntity(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  getEntity(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ListEntities(argument: _trustzone_v1_ListEntitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListEntities(argument: _trustzone_v1_ListEntitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListEntities(argument: _trustzone_v1_ListEntitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListEntities(argument: _trustzone_v1_ListEntitiesRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listEntities(argument: _trustzone_v1_ListEntitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listEntities(argument: _trustzone_v1_ListEntitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listEntities(argument: _trustzone_v1_ListEntitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listEntities(argument: _trustzone_v1_ListEntitiesRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * Service-to-service (no end user): configuration the proxy needs, reload plumbing for the engine.
   */
  ListVirtualProxies(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListVirtualProxies(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListVirtualProxies(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ListVirtualProxies(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Service-to-service (no end user): configuration the proxy needs, reload plumbing for the engine.
   */
  listVirtualProxies(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listVirtualProxies(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listVirtualProxies(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  listVirtualProxies(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  PrepareReload(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  PrepareReload(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  PrepareReload(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  PrepareReload(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  prepareReload(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  prepareReload(argument: _trustzone_v1_EntityRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  prepareReload(argument: _trustzone_v1_EntityRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  prepareReload(argument: _trustzone_v1_EntityRef, callback: grpc.requestCallback<_trustzone_v1_ReloadPlan__Output>): grpc.ClientUnaryCall;
  
  /**
   * The rule editor's explain and audit matrix for an unsaved rule (evaluated, never stored).
   */
  PreviewRule(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewRule(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewRule(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewRule(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * The rule editor's explain and audit matrix for an unsaved rule (evaluated, never stored).
   */
  previewRule(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewRule(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewRule(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewRule(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  PublishApp(argument: _trustzone_v1_PublishAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PublishApp(argument: _trustzone_v1_PublishAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PublishApp(argument: _trustzone_v1_PublishAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PublishApp(argument: _trustzone_v1_PublishAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  publishApp(argument: _trustzone_v1_PublishAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  publishApp(argument: _trustzone_v1_PublishAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  publishApp(argument: _trustzone_v1_PublishAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  publishApp(argument: _trustzone_v1_PublishAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ReadAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReadAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReadAudit(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReadAudit(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  readAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  readAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  readAudit(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  readAudit(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  RecordAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RecordAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RecordAppScript(argument: _trustzone_v1_AppScriptAccess, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RecordAppScript(argument: _trustzone_v1_AppScriptAccess, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  recordAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  recordAppScript(argument: _trustzone_v1_AppScriptAccess, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  recordAppScript(argument: _trustzone_v1_AppScriptAccess, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  recordAppScript(argument: _trustzone_v1_AppScriptAccess, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  RecordAudit(argument: _trustzone_v1_AuditEvent, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordAudit(argument: _trustzone_v1_AuditEvent, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordAudit(argument: _trustzone_v1_AuditEvent, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordAudit(argument: _trustzone_v1_AuditEvent, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordAudit(argument: _trustzone_v1_AuditEvent, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordAudit(argument: _trustzone_v1_AuditEvent, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordAudit(argument: _trustzone_v1_AuditEvent, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordAudit(argument: _trustzone_v1_AuditEvent, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * The proxy reports a named user's login: their login attributes (ticket Attributes, JWT mapped
   * claims, header/session values) are persisted onto the user, replacing that method's previous ones.
   */
  RecordLogin(argument: _trustzone_v1_LoginRecord, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordLogin(argument: _trustzone_v1_LoginRecord, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordLogin(argument: _trustzone_v1_LoginRecord, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordLogin(argument: _trustzone_v1_LoginRecord, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * The proxy reports a named user's login: their login attributes (ticket Attributes, JWT mapped
   * claims, header/session values) are persisted onto the user, replacing that method's previous ones.
   */
  recordLogin(argument: _trustzone_v1_LoginRecord, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordLogin(argument: _trustzone_v1_LoginRecord, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordLogin(argument: _trustzone_v1_LoginRecord, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordLogin(argument: _trustzone_v1_LoginRecord, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RecordReload(argument: _trustzone_v1_ReloadOutcome, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordReload(argument: _trustzone_v1_ReloadOutcome, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordReload(argument: _trustzone_v1_ReloadOutcome, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RecordReload(argument: _trustzone_v1_ReloadOutcome, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordReload(argument: _trustzone_v1_ReloadOutcome, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordReload(argument: _trustzone_v1_ReloadOutcome, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordReload(argument: _trustzone_v1_ReloadOutcome, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  recordReload(argument: _trustzone_v1_ReloadOutcome, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RegisterAppImport(argument: _trustzone_v1_AppImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppImport(argument: _trustzone_v1_AppImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppImport(argument: _trustzone_v1_AppImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppImport(argument: _trustzone_v1_AppImportRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppImport(argument: _trustzone_v1_AppImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppImport(argument: _trustzone_v1_AppImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppImport(argument: _trustzone_v1_AppImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppImport(argument: _trustzone_v1_AppImportRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  RegisterAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * Objects an app file holds without a row (apps from before rows existed): the engine registers
   * them when it first opens the app, with the owner and state the file holds. Engine only, no user.
   */
  RegisterExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RegisterExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Objects an app file holds without a row (apps from before rows existed): the engine registers
   * them when it first opens the app, with the owner and state the file holds. Engine only, no user.
   */
  registerExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  registerExistingAppObjects(argument: _trustzone_v1_ExistingAppObjects, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  RemoveAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RenameAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RenameAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RenameAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RenameAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  renameAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  renameAppObject(argument: _trustzone_v1_AppObjectRow, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  renameAppObject(argument: _trustzone_v1_AppObjectRow, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  renameAppObject(argument: _trustzone_v1_AppObjectRow, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ReplaceApp(argument: _trustzone_v1_ReplaceAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReplaceApp(argument: _trustzone_v1_ReplaceAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReplaceApp(argument: _trustzone_v1_ReplaceAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ReplaceApp(argument: _trustzone_v1_ReplaceAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  replaceApp(argument: _trustzone_v1_ReplaceAppRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  replaceApp(argument: _trustzone_v1_ReplaceAppRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  replaceApp(argument: _trustzone_v1_ReplaceAppRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  replaceApp(argument: _trustzone_v1_ReplaceAppRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ResolveUser(argument: _trustzone_v1_ResolveUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ResolveUser(argument: _trustzone_v1_ResolveUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ResolveUser(argument: _trustzone_v1_ResolveUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ResolveUser(argument: _trustzone_v1_ResolveUserRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  resolveUser(argument: _trustzone_v1_ResolveUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  resolveUser(argument: _trustzone_v1_ResolveUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  resolveUser(argument: _trustzone_v1_ResolveUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  resolveUser(argument: _trustzone_v1_ResolveUserRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * The console's certificate actions, run here because the repository holds the site CA key:
   * revoke an exported integration certificate, rotate a service certificate. Update on the
   * Certificate resource; the body must name what the admin saw (serial+name / fingerprint).
   */
  RevokeSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RevokeSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RevokeSiteCertificate(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RevokeSiteCertificate(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * The console's certificate actions, run here because the repository holds the site CA key:
   * revoke an exported integration certificate, rotate a service certificate. Update on the
   * Certificate resource; the body must name what the admin saw (serial+name / fingerprint).
   */
  revokeSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  revokeSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  revokeSiteCertificate(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  revokeSiteCertificate(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  RotateSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RotateSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RotateSiteCertificate(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  RotateSiteCertificate(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  rotateSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  rotateSiteCertificate(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  rotateSiteCertificate(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  rotateSiteCertificate(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  ScriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ScriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ScriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ScriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  scriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  scriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  scriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  scriptLogLink(argument: _trustzone_v1_ScriptLogLinkRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * The console's site administration (trustzone's own): the certificate inventory (never a private
   * key) and a check of the audit chain. Admin-only by rule (Read on the Certificate / AuditLog resource).
   */
  SiteCertificates(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SiteCertificates(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SiteCertificates(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SiteCertificates(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * The console's site administration (trustzone's own): the certificate inventory (never a private
   * key) and a check of the audit chain. Admin-only by rule (Read on the Certificate / AuditLog resource).
   */
  siteCertificates(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  siteCertificates(argument: _trustzone_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  siteCertificates(argument: _trustzone_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  siteCertificates(argument: _trustzone_v1_Empty, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  StartTask(argument: _trustzone_v1_StartTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  StartTask(argument: _trustzone_v1_StartTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  StartTask(argument: _trustzone_v1_StartTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  StartTask(argument: _trustzone_v1_StartTaskRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  startTask(argument: _trustzone_v1_StartTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  startTask(argument: _trustzone_v1_StartTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  startTask(argument: _trustzone_v1_StartTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  startTask(argument: _trustzone_v1_StartTaskRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  UpdateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  UpdateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  UpdateEntity(argument: _trustzone_v1_EntityWrite, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  UpdateEntity(argument: _trustzone_v1_EntityWrite, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  updateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  updateEntity(argument: _trustzone_v1_EntityWrite, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  updateEntity(argument: _trustzone_v1_EntityWrite, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  updateEntity(argument: _trustzone_v1_EntityWrite, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  VerifyAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  VerifyAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  VerifyAudit(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  VerifyAudit(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  verifyAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  verifyAudit(argument: _trustzone_v1_JsonPayload, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  verifyAudit(argument: _trustzone_v1_JsonPayload, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  verifyAudit(argument: _trustzone_v1_JsonPayload, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The repository: entities, security rules, audit trail. Every call acting for an end user carries
 * the user in call metadata (see libs/contracts/src/user-assertion.ts); the repository accepts the
 * assertion only from identities allowed to impersonate (the proxy, the engine for app access).
 * Entity payloads are JSON in the QRS shapes; the repository validates them (zod) at its edge.
 */
export interface RepositoryHandlers extends grpc.UntypedServiceImplementation {
  About: grpc.handleUnaryCall<_trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload>;
  
  AuditMatrix: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * Qlik's shapes: AuditMatrixParameters in, AuditMatrix out (POST /qrs/systemrule/security/audit/matrix).
   */
  AuditMatrixQlik: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  Authorize: grpc.handleUnaryCall<_trustzone_v1_AuthorizeRequest__Output, _trustzone_v1_AuthorizeResponse>;
  
  /**
   * App objects (sheets, stories, bookmarks, master items…) live in the app file; the repository
   * knows each one as an App.Object row (owner, published, approved) and decides with the security
   * rules. The engine asks for the user it relays, one round trip per question: which of these
   * objects may the user <action>? It registers, renames and removes the rows it stores (engine
   * only). Publish/unpublish/approve/unapprove are rule-checked state changes (the /qrs endpoints
   * through the proxy, the QIX methods through the engine).
   */
  AuthorizeAppObjects: grpc.handleUnaryCall<_trustzone_v1_AppObjectsCheck__Output, _trustzone_v1_AppObjectsDecision>;
  
  /**
   * The load script lives in the app file (the engine reads and writes it); the engine asks here
   * first (Update on the app, audited) and records a write afterwards (audit, modifiedDate).
   */
  AuthorizeAppScript: grpc.handleUnaryCall<_trustzone_v1_AppScriptAccess__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * The engine asks before a section-access preview, for the admin the proxy relayed: Read on the
   * app and on the security rules, Read on the previewed user; answers who to preview (the user's
   * groups as the rules see them) and records the preview in the audit trail.
   */
  AuthorizeSectionAccessPreview: grpc.handleUnaryCall<_trustzone_v1_SectionAccessPreviewRequest__Output, _trustzone_v1_JsonPayload>;
  
  ChangeAppObjectState: grpc.handleUnaryCall<_trustzone_v1_AppObjectStateChange__Output, _trustzone_v1_JsonPayload>;
  
  ClaimAppExport: grpc.handleUnaryCall<_trustzone_v1_DownloadRequest__Output, _trustzone_v1_AppExportManifest>;
  
  CopyApp: grpc.handleUnaryCall<_trustzone_v1_CopyAppRequest__Output, _trustzone_v1_JsonPayload>;
  
  CreateEntity: grpc.handleUnaryCall<_trustzone_v1_EntityWrite__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * Reload tasks (docs/operations.md "Reload tasks and the scheduler").
   */
  CreateReloadTask: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  DeleteEntity: grpc.handleUnaryCall<_trustzone_v1_EntityRef__Output, _trustzone_v1_Empty>;
  
  DownloadScriptLog: grpc.handleUnaryCall<_trustzone_v1_DownloadRequest__Output, _trustzone_v1_ScriptLogDownload>;
  
  Explain: grpc.handleUnaryCall<_trustzone_v1_ExplainRequest__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * App export and import (docs/operations.md "App export and import"). The proxy asks for an export
   * link and for replaces; the engine claims a link when it streams the export, and registers an
   * import (a dry run first: the rights, before the file is stored) once the file checked out.
   */
  ExportApp: grpc.handleUnaryCall<_trustzone_v1_ExportAppRequest__Output, _trustzone_v1_JsonPayload>;
  
  GetEntity: grpc.handleUnaryCall<_trustzone_v1_EntityRef__Output, _trustzone_v1_JsonPayload>;
  
  ListEntities: grpc.handleUnaryCall<_trustzone_v1_ListEntitiesRequest__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * Service-to-service (no end user): configuration the proxy needs, reload plumbing for the engine.
   */
  ListVirtualProxies: grpc.handleUnaryCall<_trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload>;
  
  PrepareReload: grpc.handleUnaryCall<_trustzone_v1_EntityRef__Output, _trustzone_v1_ReloadPlan>;
  
  /**
   * The rule editor's explain and audit matrix for an unsaved rule (evaluated, never stored).
   */
  PreviewRule: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  PublishApp: grpc.handleUnaryCall<_trustzone_v1_PublishAppRequest__Output, _trustzone_v1_JsonPayload>;
  
  ReadAudit: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  RecordAppScript: grpc.handleUnaryCall<_trustzone_v1_AppScriptAccess__Output, _trustzone_v1_JsonPayload>;
  
  RecordAudit: grpc.handleUnaryCall<_trustzone_v1_AuditEvent__Output, _trustzone_v1_Empty>;
  
  /**
   * The proxy reports a named user's login: their login attributes (ticket Attributes, JWT mapped
   * claims, header/session values) are persisted onto the user, replacing that method's previous ones.
   */
  RecordLogin: grpc.handleUnaryCall<_trustzone_v1_LoginRecord__Output, _trustzone_v1_Empty>;
  
  RecordReload: grpc.handleUnaryCall<_trustzone_v1_ReloadOutcome__Output, _trustzone_v1_Empty>;
  
  RegisterAppImport: grpc.handleUnaryCall<_trustzone_v1_AppImportRequest__Output, _trustzone_v1_JsonPayload>;
  
  RegisterAppObject: grpc.handleUnaryCall<_trustzone_v1_AppObjectRow__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * Objects an app file holds without a row (apps from before rows existed): the engine registers
   * them when it first opens the app, with the owner and state the file holds. Engine only, no user.
   */
  RegisterExistingAppObjects: grpc.handleUnaryCall<_trustzone_v1_ExistingAppObjects__Output, _trustzone_v1_JsonPayload>;
  
  RemoveAppObject: grpc.handleUnaryCall<_trustzone_v1_AppObjectRow__Output, _trustzone_v1_Empty>;
  
  RenameAppObject: grpc.handleUnaryCall<_trustzone_v1_AppObjectRow__Output, _trustzone_v1_JsonPayload>;
  
  ReplaceApp: grpc.handleUnaryCall<_trustzone_v1_ReplaceAppRequest__Output, _trustzone_v1_JsonPayload>;
  
  ResolveUser: grpc.handleUnaryCall<_trustzone_v1_ResolveUserRequest__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * The console's certificate actions, run here because the repository holds the site CA key:
   * revoke an exported integration certificate, rotate a service certificate. Update on the
   * Certificate resource; the body must name what the admin saw (serial+name / fingerprint).
   */
  RevokeSiteCertificate: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  RotateSiteCertificate: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
  ScriptLogLink: grpc.handleUnaryCall<_trustzone_v1_ScriptLogLinkRequest__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * The console's site administration (trustzone's own): the certificate inventory (never a private
   * key) and a check of the audit chain. Admin-only by rule (Read on the Certificate / AuditLog resource).
   */
  SiteCertificates: grpc.handleUnaryCall<_trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload>;
  
  StartTask: grpc.handleUnaryCall<_trustzone_v1_StartTaskRequest__Output, _trustzone_v1_JsonPayload>;
  
  UpdateEntity: grpc.handleUnaryCall<_trustzone_v1_EntityWrite__Output, _trustzone_v1_JsonPayload>;
  
  VerifyAudit: grpc.handleUnaryCall<_trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload>;
  
}

export interface RepositoryDefinition extends grpc.ServiceDefinition {
  About: MethodDefinition<_trustzone_v1_Empty, _trustzone_v1_JsonPayload, _trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload__Output>
  AuditMatrix: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  AuditMatrixQlik: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  Authorize: MethodDefinition<_trustzone_v1_AuthorizeRequest, _trustzone_v1_AuthorizeResponse, _trustzone_v1_AuthorizeRequest__Output, _trustzone_v1_AuthorizeResponse__Output>
  AuthorizeAppObjects: MethodDefinition<_trustzone_v1_AppObjectsCheck, _trustzone_v1_AppObjectsDecision, _trustzone_v1_AppObjectsCheck__Output, _trustzone_v1_AppObjectsDecision__Output>
  AuthorizeAppScript: MethodDefinition<_trustzone_v1_AppScriptAccess, _trustzone_v1_JsonPayload, _trustzone_v1_AppScriptAccess__Output, _trustzone_v1_JsonPayload__Output>
  AuthorizeSectionAccessPreview: MethodDefinition<_trustzone_v1_SectionAccessPreviewRequest, _trustzone_v1_JsonPayload, _trustzone_v1_SectionAccessPreviewRequest__Output, _trustzone_v1_JsonPayload__Output>
  ChangeAppObjectState: MethodDefinition<_trustzone_v1_AppObjectStateChange, _trustzone_v1_JsonPayload, _trustzone_v1_AppObjectStateChange__Output, _trustzone_v1_JsonPayload__Output>
  ClaimAppExport: MethodDefinition<_trustzone_v1_DownloadRequest, _trustzone_v1_AppExportManifest, _trustzone_v1_DownloadRequest__Output, _trustzone_v1_AppExportManifest__Output>
  CopyApp: MethodDefinition<_trustzone_v1_CopyAppRequest, _trustzone_v1_JsonPayload, _trustzone_v1_CopyAppRequest__Output, _trustzone_v1_JsonPayload__Output>
  CreateEntity: MethodDefinition<_trustzone_v1_EntityWrite, _trustzone_v1_JsonPayload, _trustzone_v1_EntityWrite__Output, _trustzone_v1_JsonPayload__Output>
  CreateReloadTask: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  DeleteEntity: MethodDefinition<_trustzone_v1_EntityRef, _trustzone_v1_Empty, _trustzone_v1_EntityRef__Output, _trustzone_v1_Empty__Output>
  DownloadScriptLog: MethodDefinition<_trustzone_v1_DownloadRequest, _trustzone_v1_ScriptLogDownload, _trustzone_v1_DownloadRequest__Output, _trustzone_v1_ScriptLogDownload__Output>
  Explain: MethodDefinition<_trustzone_v1_ExplainRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ExplainRequest__Output, _trustzone_v1_JsonPayload__Output>
  ExportApp: MethodDefinition<_trustzone_v1_ExportAppRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ExportAppRequest__Output, _trustzone_v1_JsonPayload__Output>
  GetEntity: MethodDefinition<_trustzone_v1_EntityRef, _trustzone_v1_JsonPayload, _trustzone_v1_EntityRef__Output, _trustzone_v1_JsonPayload__Output>
  ListEntities: MethodDefinition<_trustzone_v1_ListEntitiesRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ListEntitiesRequest__Output, _trustzone_v1_JsonPayload__Output>
  ListVirtualProxies: MethodDefinition<_trustzone_v1_Empty, _trustzone_v1_JsonPayload, _trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload__Output>
  PrepareReload: MethodDefinition<_trustzone_v1_EntityRef, _trustzone_v1_ReloadPlan, _trustzone_v1_EntityRef__Output, _trustzone_v1_ReloadPlan__Output>
  PreviewRule: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  PublishApp: MethodDefinition<_trustzone_v1_PublishAppRequest, _trustzone_v1_JsonPayload, _trustzone_v1_PublishAppRequest__Output, _trustzone_v1_JsonPayload__Output>
  ReadAudit: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  RecordAppScript: MethodDefinition<_trustzone_v1_AppScriptAccess, _trustzone_v1_JsonPayload, _trustzone_v1_AppScriptAccess__Output, _trustzone_v1_JsonPayload__Output>
  RecordAudit: MethodDefinition<_trustzone_v1_AuditEvent, _trustzone_v1_Empty, _trustzone_v1_AuditEvent__Output, _trustzone_v1_Empty__Output>
  RecordLogin: MethodDefinition<_trustzone_v1_LoginRecord, _trustzone_v1_Empty, _trustzone_v1_LoginRecord__Output, _trustzone_v1_Empty__Output>
  RecordReload: MethodDefinition<_trustzone_v1_ReloadOutcome, _trustzone_v1_Empty, _trustzone_v1_ReloadOutcome__Output, _trustzone_v1_Empty__Output>
  RegisterAppImport: MethodDefinition<_trustzone_v1_AppImportRequest, _trustzone_v1_JsonPayload, _trustzone_v1_AppImportRequest__Output, _trustzone_v1_JsonPayload__Output>
  RegisterAppObject: MethodDefinition<_trustzone_v1_AppObjectRow, _trustzone_v1_JsonPayload, _trustzone_v1_AppObjectRow__Output, _trustzone_v1_JsonPayload__Output>
  RegisterExistingAppObjects: MethodDefinition<_trustzone_v1_ExistingAppObjects, _trustzone_v1_JsonPayload, _trustzone_v1_ExistingAppObjects__Output, _trustzone_v1_JsonPayload__Output>
  RemoveAppObject: MethodDefinition<_trustzone_v1_AppObjectRow, _trustzone_v1_Empty, _trustzone_v1_AppObjectRow__Output, _trustzone_v1_Empty__Output>
  RenameAppObject: MethodDefinition<_trustzone_v1_AppObjectRow, _trustzone_v1_JsonPayload, _trustzone_v1_AppObjectRow__Output, _trustzone_v1_JsonPayload__Output>
  ReplaceApp: MethodDefinition<_trustzone_v1_ReplaceAppRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ReplaceAppRequest__Output, _trustzone_v1_JsonPayload__Output>
  ResolveUser: MethodDefinition<_trustzone_v1_ResolveUserRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ResolveUserRequest__Output, _trustzone_v1_JsonPayload__Output>
  RevokeSiteCertificate: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  RotateSiteCertificate: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
  ScriptLogLink: MethodDefinition<_trustzone_v1_ScriptLogLinkRequest, _trustzone_v1_JsonPayload, _trustzone_v1_ScriptLogLinkRequest__Output, _trustzone_v1_JsonPayload__Output>
  SiteCertificates: MethodDefinition<_trustzone_v1_Empty, _trustzone_v1_JsonPayload, _trustzone_v1_Empty__Output, _trustzone_v1_JsonPayload__Output>
  StartTask: MethodDefinition<_trustzone_v1_StartTaskRequest, _trustzone_v1_JsonPayload, _trustzone_v1_StartTaskRequest__Output, _trustzone_v1_JsonPayload__Output>
  UpdateEntity: MethodDefinition<_trustzone_v1_EntityWrite, _trustzone_v1_JsonPayload, _trustzone_v1_EntityWrite__Output, _trustzone_v1_JsonPayload__Output>
  VerifyAudit: MethodDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output, _trustzone_v1_JsonPayload__Output>
}
