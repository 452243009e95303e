// Original file: libs/contracts/proto/repository.proto

import type { AppObjectClaim as _trustzone_v1_AppObjectClaim, AppObjectClaim__Output as _trustzone_v1_AppObjectClaim__Output } from '../../trustzone/v1/AppObjectClaim';

export interface AppObjectsCheck {
  'appId'?: (string);
  /**
   * create | read | update | delete | publish | approve
   */
  'action'?: (string);
  'objects'?: (_trustzone_v1_AppObjectClaim)[];
}

export interface AppObjectsCheck__Output {
  'appId': (string);
  /**
   * create | read | update | delete | publish | approve
   */
  'action': (string);
  'objects': (_trustzone_v1_AppObjectClaim__Output)[];
}
