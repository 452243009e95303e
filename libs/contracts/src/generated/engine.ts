import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AppDataInfoResponse as _trustzone_v1_AppDataInfoResponse, AppDataInfoResponse__Output as _trustzone_v1_AppDataInfoResponse__Output } from './trustzone/v1/AppDataInfoResponse';
import type { AppDataRef as _trustzone_v1_AppDataRef, AppDataRef__Output as _trustzone_v1_AppDataRef__Output } from './trustzone/v1/AppDataRef';
import type { AppExportManifest as _trustzone_v1_AppExportManifest, AppExportManifest__Output as _trustzone_v1_AppExportManifest__Output } from './trustzone/v1/AppExportManifest';
import type { AppImportRequest as _trustzone_v1_AppImportRequest, AppImportRequest__Output as _trustzone_v1_AppImportRequest__Output } from './trustzone/v1/AppImportRequest';
import type { AppObjectClaim as _trustzone_v1_AppObjectClaim, AppObjectClaim__Output as _trustzone_v1_AppObjectClaim__Output } from './trustzone/v1/AppObjectClaim';
import type { AppObjectRow as _trustzone_v1_AppObjectRow, AppObjectRow__Output as _trustzone_v1_AppObjectRow__Output } from './trustzone/v1/AppObjectRow';
import type { AppObjectStateChange as _trustzone_v1_AppObjectStateChange, AppObjectStateChange__Output as _trustzone_v1_AppObjectStateChange__Output } from './trustzone/v1/AppObjectStateChange';
import type { AppObjectsCheck as _trustzone_v1_AppObjectsCheck, AppObjectsCheck__Output as _trustzone_v1_AppObjectsCheck__Output } from './trustzone/v1/AppObjectsCheck';
import type { AppObjectsDecision as _trustzone_v1_AppObjectsDecision, AppObjectsDecision__Output as _trustzone_v1_AppObjectsDecision__Output } from './trustzone/v1/AppObjectsDecision';
import type { AppScript as _trustzone_v1_AppScript, AppScript__Output as _trustzone_v1_AppScript__Output } from './trustzone/v1/AppScript';
import type { AppScriptAccess as _trustzone_v1_AppScriptAccess, AppScriptAccess__Output as _trustzone_v1_AppScriptAccess__Output } from './trustzone/v1/AppScriptAccess';
import type { AuditEvent as _trustzone_v1_AuditEvent, AuditEvent__Output as _trustzone_v1_AuditEvent__Output } from './trustzone/v1/AuditEvent';
import type { AuthorizeRequest as _trustzone_v1_AuthorizeRequest, AuthorizeRequest__Output as _trustzone_v1_AuthorizeRequest__Output } from './trustzone/v1/AuthorizeRequest';
import type { AuthorizeResponse as _trustzone_v1_AuthorizeResponse, AuthorizeResponse__Output as _trustzone_v1_AuthorizeResponse__Output } from './trustzone/v1/AuthorizeResponse';
import type { CopyAppDataRequest as _trustzone_v1_CopyAppDataRequest, CopyAppDataRequest__Output as _trustzone_v1_CopyAppDataRequest__Output } from './trustzone/v1/CopyAppDataRequest';
import type { CopyAppRequest as _trustzone_v1_CopyAppRequest, CopyAppRequest__Output as _trustzone_v1_CopyAppRequest__Output } from './trustzone/v1/CopyAppRequest';
import type { DataChunk as _trustzone_v1_DataChunk, DataChunk__Output as _trustzone_v1_DataChunk__Output } from './trustzone/v1/DataChunk';
import type { DataConnectionGrant as _trustzone_v1_DataConnectionGrant, DataConnectionGrant__Output as _trustzone_v1_DataConnectionGrant__Output } from './trustzone/v1/DataConnectionGrant';
import type { DownloadRequest as _trustzone_v1_DownloadRequest, DownloadRequest__Output as _trustzone_v1_DownloadRequest__Output } from './trustzone/v1/DownloadRequest';
import type { Empty as _trustzone_v1_Empty, Empty__Output as _trustzone_v1_Empty__Output } from './trustzone/v1/Empty';
import type { EngineClient as _trustzone_v1_EngineClient, EngineDefinition as _trustzone_v1_EngineDefinition } from './trustzone/v1/Engine';
import type { EntityRef as _trustzone_v1_EntityRef, EntityRef__Output as _trustzone_v1_EntityRef__Output } from './trustzone/v1/EntityRef';
import type { EntityWrite as _trustzone_v1_EntityWrite, EntityWrite__Output as _trustzone_v1_EntityWrite__Output } from './trustzone/v1/EntityWrite';
import type { ExistingAppObject as _trustzone_v1_ExistingAppObject, ExistingAppObject__Output as _trustzone_v1_ExistingAppObject__Output } from './trustzone/v1/ExistingAppObject';
import type { ExistingAppObjects as _trustzone_v1_ExistingAppObjects, ExistingAppObjects__Output as _trustzone_v1_ExistingAppObjects__Output } from './trustzone/v1/ExistingAppObjects';
import type { ExplainRequest as _trustzone_v1_ExplainRequest, ExplainRequest__Output as _trustzone_v1_ExplainRequest__Output } from './trustzone/v1/ExplainRequest';
import type { ExportAppRequest as _trustzone_v1_ExportAppRequest, ExportAppRequest__Output as _trustzone_v1_ExportAppRequest__Output } from './trustzone/v1/ExportAppRequest';
import type { ExportAppStreamRequest as _trustzone_v1_ExportAppStreamRequest, ExportAppStreamRequest__Output as _trustzone_v1_ExportAppStreamRequest__Output } from './trustzone/v1/ExportAppStreamRequest';
import type { ImportChunk as _trustzone_v1_ImportChunk, ImportChunk__Output as _trustzone_v1_ImportChunk__Output } from './trustzone/v1/ImportChunk';
import type { ImportStart as _trustzone_v1_ImportStart, ImportStart__Output as _trustzone_v1_ImportStart__Output } from './trustzone/v1/ImportStart';
import type { JsonPayload as _trustzone_v1_JsonPayload, JsonPayload__Output as _trustzone_v1_JsonPayload__Output } from './trustzone/v1/JsonPayload';
import type { ListEntitiesRequest as _trustzone_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _trustzone_v1_ListEntitiesRequest__Output } from './trustzone/v1/ListEntitiesRequest';
import type { LoginAttribute as _trustzone_v1_LoginAttribute, LoginAttribute__Output as _trustzone_v1_LoginAttribute__Output } from './trustzone/v1/LoginAttribute';
import type { LoginRecord as _trustzone_v1_LoginRecord, LoginRecord__Output as _trustzone_v1_LoginRecord__Output } from './trustzone/v1/LoginRecord';
import type { PublishAppRequest as _trustzone_v1_PublishAppRequest, PublishAppRequest__Output as _trustzone_v1_PublishAppRequest__Output } from './trustzone/v1/PublishAppRequest';
import type { QixFrame as _trustzone_v1_QixFrame, QixFrame__Output as _trustzone_v1_QixFrame__Output } from './trustzone/v1/QixFrame';
import type { ReloadDone as _trustzone_v1_ReloadDone, ReloadDone__Output as _trustzone_v1_ReloadDone__Output } from './trustzone/v1/ReloadDone';
import type { ReloadError as _trustzone_v1_ReloadError, ReloadError__Output as _trustzone_v1_ReloadError__Output } from './trustzone/v1/ReloadError';
import type { ReloadEvent as _trustzone_v1_ReloadEvent, ReloadEvent__Output as _trustzone_v1_ReloadEvent__Output } from './trustzone/v1/ReloadEvent';
import type { ReloadOutcome as _trustzone_v1_ReloadOutcome, ReloadOutcome__Output as _trustzone_v1_ReloadOutcome__Output } from './trustzone/v1/ReloadOutcome';
import type { ReloadPlan as _trustzone_v1_ReloadPlan, ReloadPlan__Output as _trustzone_v1_ReloadPlan__Output } from './trustzone/v1/ReloadPlan';
import type { ReloadQueued as _trustzone_v1_ReloadQueued, ReloadQueued__Output as _trustzone_v1_ReloadQueued__Output } from './trustzone/v1/ReloadQueued';
import type { ReloadRequest as _trustzone_v1_ReloadRequest, ReloadRequest__Output as _trustzone_v1_ReloadRequest__Output } from './trustzone/v1/ReloadRequest';
import type { ReloadStatement as _trustzone_v1_ReloadStatement, ReloadStatement__Output as _trustzone_v1_ReloadStatement__Output } from './trustzone/v1/ReloadStatement';
import type { ReloadTable as _trustzone_v1_ReloadTable, ReloadTable__Output as _trustzone_v1_ReloadTable__Output } from './trustzone/v1/ReloadTable';
import type { ReplaceAppRequest as _trustzone_v1_ReplaceAppRequest, ReplaceAppRequest__Output as _trustzone_v1_ReplaceAppRequest__Output } from './trustzone/v1/ReplaceAppRequest';
import type { RepositoryClient as _trustzone_v1_RepositoryClient, RepositoryDefinition as _trustzone_v1_RepositoryDefinition } from './trustzone/v1/Repository';
import type { ResolveUserRequest as _trustzone_v1_ResolveUserRequest, ResolveUserRequest__Output as _trustzone_v1_ResolveUserRequest__Output } from './trustzone/v1/ResolveUserRequest';
import type { ScriptLogDownload as _trustzone_v1_ScriptLogDownload, ScriptLogDownload__Output as _trustzone_v1_ScriptLogDownload__Output } from './trustzone/v1/ScriptLogDownload';
import type { ScriptLogLinkRequest as _trustzone_v1_ScriptLogLinkRequest, ScriptLogLinkRequest__Output as _trustzone_v1_ScriptLogLinkRequest__Output } from './trustzone/v1/ScriptLogLinkRequest';
import type { SectionAccessPreviewRequest as _trustzone_v1_SectionAccessPreviewRequest, SectionAccessPreviewRequest__Output as _trustzone_v1_SectionAccessPreviewRequest__Output } from './trustzone/v1/SectionAccessPreviewRequest';
import type { StartTaskRequest as _trustzone_v1_StartTaskRequest, StartTaskRequest__Output as _trustzone_v1_StartTaskRequest__Output } from './trustzone/v1/StartTaskRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  trustzone: {
    v1: {
      AppDataInfoResponse: MessageTypeDefinition<_trustzone_v1_AppDataInfoResponse, _trustzone_v1_AppDataInfoResponse__Output>
      AppDataRef: MessageTypeDefinition<_trustzone_v1_AppDataRef, _trustzone_v1_AppDataRef__Output>
      AppExportManifest: MessageTypeDefinition<_trustzone_v1_AppExportManifest, _trustzone_v1_AppExportManifest__Output>
      AppImportRequest: MessageTypeDefinition<_trustzone_v1_AppImportRequest, _trustzone_v1_AppImportRequest__Output>
      AppObjectClaim: MessageTypeDefinition<_trustzone_v1_AppObjectClaim, _trustzone_v1_AppObjectClaim__Output>
      AppObjectRow: MessageTypeDefinition<_trustzone_v1_AppObjectRow, _trustzone_v1_AppObjectRow__Output>
      AppObjectStateChange: MessageTypeDefinition<_trustzone_v1_AppObjectStateChange, _trustzone_v1_AppObjectStateChange__Output>
      AppObjectsCheck: MessageTypeDefinition<_trustzone_v1_AppObjectsCheck, _trustzone_v1_AppObjectsCheck__Output>
      AppObjectsDecision: MessageTypeDefinition<_trustzone_v1_AppObjectsDecision, _trustzone_v1_AppObjectsDecision__Output>
      AppScript: MessageTypeDefinition<_trustzone_v1_AppScript, _trustzone_v1_AppScript__Output>
      AppScriptAccess: MessageTypeDefinition<_trustzone_v1_AppScriptAccess, _trustzone_v1_AppScriptAccess__Output>
      AuditEvent: MessageTypeDefinition<_trustzone_v1_AuditEvent, _trustzone_v1_AuditEvent__Output>
      AuthorizeRequest: MessageTypeDefinition<_trustzone_v1_AuthorizeRequest, _trustzone_v1_AuthorizeRequest__Output>
      AuthorizeResponse: MessageTypeDefinition<_trustzone_v1_AuthorizeResponse, _trustzone_v1_AuthorizeResponse__Output>
      CopyAppDataRequest: MessageTypeDefinition<_trustzone_v1_CopyAppDataRequest, _trustzone_v1_CopyAppDataRequest__Output>
      CopyAppRequest: MessageTypeDefinition<_trustzone_v1_CopyAppRequest, _trustzone_v1_CopyAppRequest__Output>
      DataChunk: MessageTypeDefinition<_trustzone_v1_DataChunk, _trustzone_v1_DataChunk__Output>
      DataConnectionGrant: MessageTypeDefinition<_trustzone_v1_DataConnectionGrant, _trustzone_v1_DataConnectionGrant__Output>
      DownloadRequest: MessageTypeDefinition<_trustzone_v1_DownloadRequest, _trustzone_v1_DownloadRequest__Output>
      Empty: MessageTypeDefinition<_trustzone_v1_Empty, _trustzone_v1_Empty__Output>
      /**
       * The engine: apps, reloads, QIX. Only the proxy may open QIX streams or start reloads for a user;
       * the user rides in call metadata (see user-assertion.ts).
       */
      Engine: SubtypeConstructor<typeof grpc.Client, _trustzone_v1_EngineClient> & { service: _trustzone_v1_EngineDefinition }
      EntityRef: MessageTypeDefinition<_trustzone_v1_EntityRef, _trustzone_v1_EntityRef__Output>
      EntityWrite: MessageTypeDefinition<_trustzone_v1_EntityWrite, _trustzone_v1_EntityWrite__Output>
      ExistingAppObject: MessageTypeDefinition<_trustzone_v1_ExistingAppObject, _trustzone_v1_ExistingAppObject__Output>
      ExistingAppObjects: MessageTypeDefinition<_trustzone_v1_ExistingAppObjects, _trustzone_v1_ExistingAppObjects__Output>
      ExplainRequest: MessageTypeDefinition<_trustzone_v1_ExplainRequest, _trustzone_v1_ExplainRequest__Output>
      ExportAppRequest: MessageTypeDefinition<_trustzone_v1_ExportAppRequest, _trustzone_v1_ExportAppRequest__Output>
      ExportAppStreamRequest: MessageTypeDefinition<_trustzone_v1_ExportAppStreamRequest, _trustzone_v1_ExportAppStreamRequest__Output>
      ImportChunk: MessageTypeDefinition<_trustzone_v1_ImportChunk, _trustzone_v1_ImportChunk__Output>
      ImportStart: MessageTypeDefinition<_trustzone_v1_ImportStart, _trustzone_v1_ImportStart__Output>
      JsonPayload: MessageTypeDefinition<_trustzone_v1_JsonPayload, _trustzone_v1_JsonPayload__Output>
      ListEntitiesRequest: MessageTypeDefinition<_trustzone_v1_ListEntitiesRequest, _trustzone_v1_ListEntitiesRequest__Output>
      LoginAttribute: MessageTypeDefinition<_trustzone_v1_LoginAttribute, _trustzone_v1_LoginAttribute__Output>
      LoginRecord: MessageTypeDefinition<_trustzone_v1_LoginRecord, _trustzone_v1_LoginRecord__Output>
      PublishAppRequest: MessageTypeDefinition<_trustzone_v1_PublishAppRequest, _trustzone_v1_PublishAppRequest__Output>
      QixFrame: MessageTypeDefinition<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output>
      ReloadDone: MessageTypeDefinition<_trustzone_v1_ReloadDone, _trustzone_v1_ReloadDone__Output>
      ReloadError: MessageTypeDefinition<_trustzone_v1_ReloadError, _trustzone_v1_ReloadError__Output>
      ReloadEvent: MessageTypeDefinition<_trustzone_v1_ReloadEvent, _trustzone_v1_ReloadEvent__Output>
      ReloadOutcome: MessageTypeDefinition<_trustzone_v1_ReloadOutcome, _trustzone_v1_ReloadOutcome__Output>
      ReloadPlan: MessageTypeDefinition<_trustzone_v1_ReloadPlan, _trustzone_v1_ReloadPlan__Output>
      ReloadQueued: MessageTypeDefinition<_trustzone_v1_ReloadQueued, _trustzone_v1_ReloadQueued__Output>
      ReloadRequest: MessageTypeDefinition<_trustzone_v1_ReloadRequest, _trustzone_v1_ReloadRequest__Output>
      ReloadStatement: MessageTypeDefinition<_trustzone_v1_ReloadStatement, _trustzone_v1_ReloadStatement__Output>
      ReloadTable: MessageTypeDefinition<_trustzone_v1_ReloadTable, _trustzone_v1_ReloadTable__Output>
      ReplaceAppRequest: MessageTypeDefinition<_trustzone_v1_ReplaceAppRequest, _trustzone_v1_ReplaceAppRequest__Output>
      /**
       * The repository: entities, security rules, audit trail. Every call acting for an end user carries
       * the user in call metadata (see libs/contracts/src/user-assertion.ts); the repository accepts the
       * assertion only from identities allowed to impersonate (the proxy, the engine for app access).
       * Entity payloads are JSON in the QRS shapes; the repository validates them (zod) at its edge.
       */
      Repository: SubtypeConstructor<typeof grpc.Client, _trustzone_v1_RepositoryClient> & { service: _trustzone_v1_RepositoryDefinition }
      ResolveUserRequest: MessageTypeDefinition<_trustzone_v1_ResolveUserRequest, _trustzone_v1_ResolveUserRequest__Output>
      ScriptLogDownload: MessageTypeDefinition<_trustzone_v1_ScriptLogDownload, _trustzone_v1_ScriptLogDownload__Output>
      ScriptLogLinkRequest: MessageTypeDefinition<_trustzone_v1_ScriptLogLinkRequest, _trustzone_v1_ScriptLogLinkRequest__Output>
      SectionAccessPreviewRequest: MessageTypeDefinition<_trustzone_v1_SectionAccessPreviewRequest, _trustzone_v1_SectionAccessPreviewRequest__Output>
      StartTaskRequest: MessageTypeDefinition<_trustzone_v1_StartTaskRequest, _trustzone_v1_StartTaskRequest__Output>
    }
  }
}

