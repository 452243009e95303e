// Original file: libs/contracts/proto/engine.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AppDataInfoResponse as _trustzone_v1_AppDataInfoResponse, AppDataInfoResponse__Output as _trustzone_v1_AppDataInfoResponse__Output } from '../../trustzone/v1/AppDataInfoResponse';
import type { AppDataRef as _trustzone_v1_AppDataRef, AppDataRef__Output as _trustzone_v1_AppDataRef__Output } from '../../trustzone/v1/AppDataRef';
import type { AppObjectStateChange as _trustzone_v1_AppObjectStateChange, AppObjectStateChange__Output as _trustzone_v1_AppObjectStateChange__Output } from '../../trustzone/v1/AppObjectStateChange';
import type { AppScript as _trustzone_v1_AppScript, AppScript__Output as _trustzone_v1_AppScript__Output } from '../../trustzone/v1/AppScript';
import type { CopyAppDataRequest as _trustzone_v1_CopyAppDataRequest, CopyAppDataRequest__Output as _trustzone_v1_CopyAppDataRequest__Output } from '../../trustzone/v1/CopyAppDataRequest';
import type { DataChunk as _trustzone_v1_DataChunk, DataChunk__Output as _trustzone_v1_DataChunk__Output } from '../../trustzone/v1/DataChunk';
import type { Empty as _trustzone_v1_Empty, Empty__Output as _trustzone_v1_Empty__Output } from '../../trustzone/v1/Empty';
import type { ExportAppStreamRequest as _trustzone_v1_ExportAppStreamRequest, ExportAppStreamRequest__Output as _trustzone_v1_ExportAppStreamRequest__Output } from '../../trustzone/v1/ExportAppStreamRequest';
import type { ImportChunk as _trustzone_v1_ImportChunk, ImportChunk__Output as _trustzone_v1_ImportChunk__Output } from '../../trustzone/v1/ImportChunk';
import type { JsonPayload as _trustzone_v1_JsonPayload, JsonPayload__Output as _trustzone_v1_JsonPayload__Output } from '../../trustzone/v1/JsonPayload';
import type { QixFrame as _trustzone_v1_QixFrame, QixFrame__Output as _trustzone_v1_QixFrame__Output } from '../../trustzone/v1/QixFrame';
import type { ReloadEvent as _trustzone_v1_ReloadEvent, ReloadEvent__Output as _trustzone_v1_ReloadEvent__Output } from '../../trustzone/v1/ReloadEvent';
import type { ReloadRequest as _trustzone_v1_ReloadRequest, ReloadRequest__Output as _trustzone_v1_ReloadRequest__Output } from '../../trustzone/v1/ReloadRequest';
import type { SectionAccessPreviewRequest as _trustzone_v1_SectionAccessPreviewRequest, SectionAccessPreviewRequest__Output as _trustzone_v1_SectionAccessPreviewRequest__Output } from '../../trustzone/v1/SectionAccessPreviewRequest';

/**
 * The engine: apps, reloads, QIX. Only the proxy may open QIX streams or start reloads for a user;
 * the user rides in call metadata (see user-assertion.ts).
 */
export interface EngineClient extends grpc.Client {
  AppDataInfo(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  AppDataInfo(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  AppDataInfo(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  AppDataInfo(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  appDataInfo(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  appDataInfo(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  appDataInfo(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  appDataInfo(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_AppDataInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Qlik's QRS object state changes (PUT /qrs/app/object/{id}/publish|unpublish|approve|unapprove):
   * the repository decides and keeps the row (rules, state, audit); the engine then writes the row's
   * flags into the object in the app file, so the file says what the row says.
   */
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  ChangeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Qlik's QRS object state changes (PUT /qrs/app/object/{id}/publish|unpublish|approve|unapprove):
   * the repository decides and keeps the row (rules, state, audit); the engine then writes the row's
   * flags into the object in the app file, so the file says what the row says.
   */
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  changeAppObjectState(argument: _trustzone_v1_AppObjectStateChange, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  CopyAppData(argument: _trustzone_v1_CopyAppDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  CopyAppData(argument: _trustzone_v1_CopyAppDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  CopyAppData(argument: _trustzone_v1_CopyAppDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  CopyAppData(argument: _trustzone_v1_CopyAppDataRequest, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  copyAppData(argument: _trustzone_v1_CopyAppDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  copyAppData(argument: _trustzone_v1_CopyAppDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  copyAppData(argument: _trustzone_v1_CopyAppDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  copyAppData(argument: _trustzone_v1_CopyAppDataRequest, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  DeleteAppData(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteAppData(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteAppData(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteAppData(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteAppData(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteAppData(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteAppData(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteAppData(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * App export and import (docs/operations.md): a signed, transport-encrypted package streamed out,
   * and one streamed in (first message: what to do; then the bytes; one answer at the end).
   */
  ExportApp(argument: _trustzone_v1_ExportAppStreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_DataChunk__Output>;
  ExportApp(argument: _trustzone_v1_ExportAppStreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_DataChunk__Output>;
  /**
   * App export and import (docs/operations.md): a signed, transport-encrypted package streamed out,
   * and one streamed in (first message: what to do; then the bytes; one answer at the end).
   */
  exportApp(argument: _trustzone_v1_ExportAppStreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_DataChunk__Output>;
  exportApp(argument: _trustzone_v1_ExportAppStreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_DataChunk__Output>;
  
  /**
   * The load script, stored in the app file (/qrs/app/{id}/script): Update on the app (asked of the
   * repository, audited there), and never for a user section access reduces.
   */
  GetAppScript(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  GetAppScript(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  GetAppScript(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  GetAppScript(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  /**
   * The load script, stored in the app file (/qrs/app/{id}/script): Update on the app (asked of the
   * repository, audited there), and never for a user section access reduces.
   */
  getAppScript(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  getAppScript(argument: _trustzone_v1_AppDataRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  getAppScript(argument: _trustzone_v1_AppDataRef, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  getAppScript(argument: _trustzone_v1_AppDataRef, callback: grpc.requestCallback<_trustzone_v1_AppScript__Output>): grpc.ClientUnaryCall;
  
  ImportApp(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_ImportChunk, _trustzone_v1_JsonPayload__Output>;
  ImportApp(options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_ImportChunk, _trustzone_v1_JsonPayload__Output>;
  importApp(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_ImportChunk, _trustzone_v1_JsonPayload__Output>;
  importApp(options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_ImportChunk, _trustzone_v1_JsonPayload__Output>;
  
  /**
   * Section-access preview (console, beyond Qlik): what one user or group would see of an app —
   * rows kept per table, hidden fields, denied and why — computed by the same reduction as a real
   * session. The engine asks the repository first (AuthorizeSectionAccessPreview: admin-only, audited).
   * Counts and field names only: never a data value.
   */
  PreviewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  PreviewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  /**
   * Section-access preview (console, beyond Qlik): what one user or group would see of an app —
   * rows kept per table, hidden fields, denied and why — computed by the same reduction as a real
   * session. The engine asks the repository first (AuthorizeSectionAccessPreview: admin-only, audited).
   * Counts and field names only: never a data value.
   */
  previewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  previewSectionAccess(argument: _trustzone_v1_SectionAccessPreviewRequest, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
  /**
   * One bidirectional stream per client websocket: JSON-RPC text frames relayed unchanged.
   * Metadata: x-tz-app-id plus the user assertion.
   */
  Qix(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output>;
  Qix(options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output>;
  /**
   * One bidirectional stream per client websocket: JSON-RPC text frames relayed unchanged.
   * Metadata: x-tz-app-id plus the user assertion.
   */
  qix(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output>;
  qix(options?: grpc.CallOptions): grpc.ClientDuplexStream<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output>;
  
  /**
   * Runs the app's load script in the sandbox; streams progress, ends with the result.
   */
  Reload(argument: _trustzone_v1_ReloadRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_ReloadEvent__Output>;
  Reload(argument: _trustzone_v1_ReloadRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_ReloadEvent__Output>;
  /**
   * Runs the app's load script in the sandbox; streams progress, ends with the result.
   */
  reload(argument: _trustzone_v1_ReloadRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_ReloadEvent__Output>;
  reload(argument: _trustzone_v1_ReloadRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_trustzone_v1_ReloadEvent__Output>;
  
  SetAppScript(argument: _trustzone_v1_AppScript, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SetAppScript(argument: _trustzone_v1_AppScript, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SetAppScript(argument: _trustzone_v1_AppScript, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  SetAppScript(argument: _trustzone_v1_AppScript, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  setAppScript(argument: _trustzone_v1_AppScript, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  setAppScript(argument: _trustzone_v1_AppScript, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  setAppScript(argument: _trustzone_v1_AppScript, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  setAppScript(argument: _trustzone_v1_AppScript, callback: grpc.requestCallback<_trustzone_v1_JsonPayload__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The engine: apps, reloads, QIX. Only the proxy may open QIX streams or start reloads for a user;
 * the user rides in call metadata (see user-assertion.ts).
 */
export interface EngineHandlers extends grpc.UntypedServiceImplementation {
  AppDataInfo: grpc.handleUnaryCall<_trustzone_v1_AppDataRef__Output, _trustzone_v1_AppDataInfoResponse>;
  
  /**
   * Qlik's QRS object state changes (PUT /qrs/app/object/{id}/publish|unpublish|approve|unapprove):
   * the repository decides and keeps the row (rules, state, audit); the engine then writes the row's
   * flags into the object in the app file, so the file says what the row says.
   */
  ChangeAppObjectState: grpc.handleUnaryCall<_trustzone_v1_AppObjectStateChange__Output, _trustzone_v1_JsonPayload>;
  
  CopyAppData: grpc.handleUnaryCall<_trustzone_v1_CopyAppDataRequest__Output, _trustzone_v1_Empty>;
  
  DeleteAppData: grpc.handleUnaryCall<_trustzone_v1_AppDataRef__Output, _trustzone_v1_Empty>;
  
  /**
   * App export and import (docs/operations.md): a signed, transport-encrypted package streamed out,
   * and one streamed in (first message: what to do; then the bytes; one answer at the end).
   */
  ExportApp: grpc.handleServerStreamingCall<_trustzone_v1_ExportAppStreamRequest__Output, _trustzone_v1_DataChunk>;
  
  /**
   * The load script, stored in the app file (/qrs/app/{id}/script): Update on the app (asked of the
   * repository, audited there), and never for a user section access reduces.
   */
  GetAppScript: grpc.handleUnaryCall<_trustzone_v1_AppDataRef__Output, _trustzone_v1_AppScript>;
  
  ImportApp: grpc.handleBidiStreamingCall<_trustzone_v1_ImportChunk__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * Section-access preview (console, beyond Qlik): what one user or group would see of an app —
   * rows kept per table, hidden fields, denied and why — computed by the same reduction as a real
   * session. The engine asks the repository first (AuthorizeSectionAccessPreview: admin-only, audited).
   * Counts and field names only: never a data value.
   */
  PreviewSectionAccess: grpc.handleUnaryCall<_trustzone_v1_SectionAccessPreviewRequest__Output, _trustzone_v1_JsonPayload>;
  
  /**
   * One bidirectional stream per client websocket: JSON-RPC text frames relayed unchanged.
   * Metadata: x-tz-app-id plus the user assertion.
   */
  Qix: grpc.handleBidiStreamingCall<_trustzone_v1_QixFrame__Output, _trustzone_v1_QixFrame>;
  
  /**
   * Runs the app's load script in the sandbox; streams progress, ends with the result.
   */
  Reload: grpc.handleServerStreamingCall<_trustzone_v1_ReloadRequest__Output, _trustzone_v1_ReloadEvent>;
  
  SetAppScript: grpc.handleUnaryCall<_trustzone_v1_AppScript__Output, _trustzone_v1_JsonPayload>;
  
}

export interface EngineDefinition extends grpc.ServiceDefinition {
  AppDataInfo: MethodDefinition<_trustzone_v1_AppDataRef, _trustzone_v1_AppDataInfoResponse, _trustzone_v1_AppDataRef__Output, _trustzone_v1_AppDataInfoResponse__Output>
  ChangeAppObjectState: MethodDefinition<_trustzone_v1_AppObjectStateChange, _trustzone_v1_JsonPayload, _trustzone_v1_AppObjectStateChange__Output, _trustzone_v1_JsonPayload__Output>
  CopyAppData: MethodDefinition<_trustzone_v1_CopyAppDataRequest, _trustzone_v1_Empty, _trustzone_v1_CopyAppDataRequest__Output, _trustzone_v1_Empty__Output>
  DeleteAppData: MethodDefinition<_trustzone_v1_AppDataRef, _trustzone_v1_Empty, _trustzone_v1_AppDataRef__Output, _trustzone_v1_Empty__Output>
  ExportApp: MethodDefinition<_trustzone_v1_ExportAppStreamRequest, _trustzone_v1_DataChunk, _trustzone_v1_ExportAppStreamRequest__Output, _trustzone_v1_DataChunk__Output>
  GetAppScript: MethodDefinition<_trustzone_v1_AppDataRef, _trustzone_v1_AppScript, _trustzone_v1_AppDataRef__Output, _trustzone_v1_AppScript__Output>
  ImportApp: MethodDefinition<_trustzone_v1_ImportChunk, _trustzone_v1_JsonPayload, _trustzone_v1_ImportChunk__Output, _trustzone_v1_JsonPayload__Output>
  PreviewSectionAccess: MethodDefinition<_trustzone_v1_SectionAccessPreviewRequest, _trustzone_v1_JsonPayload, _trustzone_v1_SectionAccessPreviewRequest__Output, _trustzone_v1_JsonPayload__Output>
  Qix: MethodDefinition<_trustzone_v1_QixFrame, _trustzone_v1_QixFrame, _trustzone_v1_QixFrame__Output, _trustzone_v1_QixFrame__Output>
  Reload: MethodDefinition<_trustzone_v1_ReloadRequest, _trustzone_v1_ReloadEvent, _trustzone_v1_ReloadRequest__Output, _trustzone_v1_ReloadEvent__Output>
  SetAppScript: MethodDefinition<_trustzone_v1_AppScript, _trustzone_v1_JsonPayload, _trustzone_v1_AppScript__Output, _trustzone_v1_JsonPayload__Output>
}
