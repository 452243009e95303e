// Original file: libs/contracts/proto/health.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HealthCheckRequest as _trustzone_v1_HealthCheckRequest, HealthCheckRequest__Output as _trustzone_v1_HealthCheckRequest__Output } from '../../trustzone/v1/HealthCheckRequest';
import type { HealthCheckResponse as _trustzone_v1_HealthCheckResponse, HealthCheckResponse__Output as _trustzone_v1_HealthCheckResponse__Output } from '../../trustzone/v1/HealthCheckResponse';

/**
 * First RPC on every service. The callee reports the caller identity exactly as it saw it in the
 * peer certificate, so a test can prove which certificate arrived.
 */
export interface HealthClient extends grpc.Client {
  Check(argument: _trustzone_v1_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _trustzone_v1_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _trustzone_v1_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _trustzone_v1_HealthCheckRequest, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _trustzone_v1_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _trustzone_v1_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _trustzone_v1_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _trustzone_v1_HealthCheckRequest, callback: grpc.requestCallback<_trustzone_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * First RPC on every service. The callee reports the caller identity exactly as it saw it in the
 * peer certificate, so a test can prove which certificate arrived.
 */
export interface HealthHandlers extends grpc.UntypedServiceImplementation {
  Check: grpc.handleUnaryCall<_trustzone_v1_HealthCheckRequest__Output, _trustzone_v1_HealthCheckResponse>;
  
}

export interface HealthDefinition extends grpc.ServiceDefinition {
  Check: MethodDefinition<_trustzone_v1_HealthCheckRequest, _trustzone_v1_HealthCheckResponse, _trustzone_v1_HealthCheckRequest__Output, _trustzone_v1_HealthCheckResponse__Output>
}
