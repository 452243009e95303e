// Original file: libs/contracts/proto/repository.proto

import type { Long } from '@grpc/proto-loader';

export interface ReloadOutcome {
  'appId'?: (string);
  'succeeded'?: (boolean);
  'fileSize'?: (number | string | Long);
  'error'?: (string);
  'durationMs'?: (number | string | Long);
}

export interface ReloadOutcome__Output {
  'appId': (string);
  'succeeded': (boolean);
  'fileSize': (number);
  'error': (string);
  'durationMs': (number);
}
