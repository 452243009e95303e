// Original file: libs/contracts/proto/engine.proto

import type { ImportStart as _trustzone_v1_ImportStart, ImportStart__Output as _trustzone_v1_ImportStart__Output } from '../../trustzone/v1/ImportStart';

export interface ImportChunk {
  'start'?: (_trustzone_v1_ImportStart | null);
  'data'?: (Buffer | Uint8Array | string);
  'part'?: "start"|"data";
}

export interface ImportChunk__Output {
  'start'?: (_trustzone_v1_ImportStart__Output | null);
  'data'?: (Buffer);
  'part'?: "start"|"data";
}
