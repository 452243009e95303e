import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { HealthClient as _trustzone_v1_HealthClient, HealthDefinition as _trustzone_v1_HealthDefinition } from './trustzone/v1/Health';
import type { HealthCheckRequest as _trustzone_v1_HealthCheckRequest, HealthCheckRequest__Output as _trustzone_v1_HealthCheckRequest__Output } from './trustzone/v1/HealthCheckRequest';
import type { HealthCheckResponse as _trustzone_v1_HealthCheckResponse, HealthCheckResponse__Output as _trustzone_v1_HealthCheckResponse__Output } from './trustzone/v1/HealthCheckResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  trustzone: {
    v1: {
      /**
       * First RPC on every service. The callee reports the caller identity exactly as it saw it in the
       * peer certificate, so a test can prove which certificate arrived.
       */
      Health: SubtypeConstructor<typeof grpc.Client, _trustzone_v1_HealthClient> & { service: _trustzone_v1_HealthDefinition }
      HealthCheckRequest: MessageTypeDefinition<_trustzone_v1_HealthCheckRequest, _trustzone_v1_HealthCheckRequest__Output>
      HealthCheckResponse: MessageTypeDefinition<_trustzone_v1_HealthCheckResponse, _trustzone_v1_HealthCheckResponse__Output>
    }
  }
}

