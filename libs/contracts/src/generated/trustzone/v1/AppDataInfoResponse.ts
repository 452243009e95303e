// Original file: libs/contracts/proto/engine.proto

import type { Long } from '@grpc/proto-loader';

export interface AppDataInfoResponse {
  'exists'?: (boolean);
  'fileSize'?: (number | string | Long);
  'encrypted'?: (boolean);
  'keyThumbprint'?: (string);
}

export interface AppDataInfoResponse__Output {
  'exists': (boolean);
  'fileSize': (number);
  'encrypted': (boolean);
  'keyThumbprint': (string);
}
