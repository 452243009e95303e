// Friendly names for the generated service types (src/generated is machine-written).
export type { HealthDefinition, HealthHandlers } from './generated/trustzone/v1/Health';
export type { RepositoryDefinition, RepositoryHandlers } from './generated/trustzone/v1/Repository';
export type { EngineDefinition, EngineHandlers } from './generated/trustzone/v1/Engine';
export type { HealthCheckResponse } from './generated/trustzone/v1/HealthCheckResponse';
export type { JsonPayload, JsonPayload__Output } from './generated/trustzone/v1/JsonPayload';
export type { QixFrame, QixFrame__Output } from './generated/trustzone/v1/QixFrame';
export type { ReloadEvent, ReloadEvent__Output } from './generated/trustzone/v1/ReloadEvent';
export type { ReloadPlan, ReloadPlan__Output } from './generated/trustzone/v1/ReloadPlan';
export type { AuditEvent, AuditEvent__Output } from './generated/trustzone/v1/AuditEvent';
