import { loadPackageDefinition } from '@grpc/grpc-js';
import type { ServiceClientConstructor } from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';
import descriptor from './generated/descriptor.json';
import type { ProtoGrpcType as EngineProto } from './generated/engine';
import type { ProtoGrpcType as HealthProto } from './generated/health';
import type { ProtoGrpcType as RepositoryProto } from './generated/repository';

// Must match the flags the types were generated with (tools/generate.mjs).
export const LOADER_OPTIONS: Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

type Proto = HealthProto['trustzone']['v1'] & RepositoryProto['trustzone']['v1'] & EngineProto['trustzone']['v1'];

// The descriptor is bundled (JSON import), so no .proto file is read at run time.
const loaded = loadPackageDefinition(fromJSON(descriptor as Parameters<typeof fromJSON>[0], LOADER_OPTIONS)) as unknown as { trustzone: { v1: Proto } };
const v1 = loaded.trustzone.v1;

export const HealthService = v1.Health as unknown as ServiceClientConstructor & typeof v1.Health;
export const RepositoryService = v1.Repository as unknown as ServiceClientConstructor & typeof v1.Repository;
export const EngineService = v1.Engine as unknown as ServiceClientConstructor & typeof v1.Engine;
