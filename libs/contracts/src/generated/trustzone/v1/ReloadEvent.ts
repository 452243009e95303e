// Original file: libs/contracts/proto/engine.proto

import type { ReloadTable as _trustzone_v1_ReloadTable, ReloadTable__Output as _trustzone_v1_ReloadTable__Output } from '../../trustzone/v1/ReloadTable';
import type { ReloadDone as _trustzone_v1_ReloadDone, ReloadDone__Output as _trustzone_v1_ReloadDone__Output } from '../../trustzone/v1/ReloadDone';
import type { ReloadQueued as _trustzone_v1_ReloadQueued, ReloadQueued__Output as _trustzone_v1_ReloadQueued__Output } from '../../trustzone/v1/ReloadQueued';

export interface ReloadEvent {
  'progress'?: (_trustzone_v1_ReloadTable | null);
  'done'?: (_trustzone_v1_ReloadDone | null);
  /**
   * The reload waits for a free slot of the engine (sent on entering the queue and when it moves).
   */
  'queued'?: (_trustzone_v1_ReloadQueued | null);
  'event'?: "progress"|"done"|"queued";
}

export interface ReloadEvent__Output {
  'progress'?: (_trustzone_v1_ReloadTable__Output | null);
  'done'?: (_trustzone_v1_ReloadDone__Output | null);
  /**
   * The reload waits for a free slot of the engine (sent on entering the queue and when it moves).
   */
  'queued'?: (_trustzone_v1_ReloadQueued__Output | null);
  'event'?: "progress"|"done"|"queued";
}
