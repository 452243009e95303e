// Original file: libs/contracts/proto/engine.proto

import type { Long } from '@grpc/proto-loader';

export interface ReloadTable {
  'name'?: (string);
  'rows'?: (number | string | Long);
}

export interface ReloadTable__Output {
  'name': (string);
  'rows': (number);
}
