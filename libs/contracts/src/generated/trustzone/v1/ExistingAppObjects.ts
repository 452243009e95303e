// Original file: libs/contracts/proto/repository.proto

import type { ExistingAppObject as _trustzone_v1_ExistingAppObject, ExistingAppObject__Output as _trustzone_v1_ExistingAppObject__Output } from '../../trustzone/v1/ExistingAppObject';

export interface ExistingAppObjects {
  'appId'?: (string);
  'objects'?: (_trustzone_v1_ExistingAppObject)[];
}

export interface ExistingAppObjects__Output {
  'appId': (string);
  'objects': (_trustzone_v1_ExistingAppObject__Output)[];
}
