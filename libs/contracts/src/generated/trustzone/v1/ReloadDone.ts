// Original file: libs/contracts/proto/engine.proto

import type { ReloadTable as _trustzone_v1_ReloadTable, ReloadTable__Output as _trustzone_v1_ReloadTable__Output } from '../../trustzone/v1/ReloadTable';
import type { ReloadError as _trustzone_v1_ReloadError, ReloadError__Output as _trustzone_v1_ReloadError__Output } from '../../trustzone/v1/ReloadError';
import type { Long } from '@grpc/proto-loader';

export interface ReloadDone {
  'succeeded'?: (boolean);
  'tables'?: (_trustzone_v1_ReloadTable)[];
  'durationMs'?: (number | string | Long);
  'error'?: (_trustzone_v1_ReloadError | null);
}

export interface ReloadDone__Output {
  'succeeded': (boolean);
  'tables': (_trustzone_v1_ReloadTable__Output)[];
  'durationMs': (number);
  'error': (_trustzone_v1_ReloadError__Output | null);
}
