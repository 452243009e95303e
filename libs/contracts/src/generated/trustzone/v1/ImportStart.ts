// Original file: libs/contracts/proto/engine.proto

import type { Long } from '@grpc/proto-loader';

export interface ImportStart {
  'name'?: (string);
  'targetAppId'?: (string);
  'declaredBytes'?: (number | string | Long);
}

export interface ImportStart__Output {
  'name': (string);
  'targetAppId': (string);
  'declaredBytes': (number);
}
