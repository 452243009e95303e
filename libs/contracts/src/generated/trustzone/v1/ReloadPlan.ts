// Original file: libs/contracts/proto/repository.proto

import type { DataConnectionGrant as _trustzone_v1_DataConnectionGrant, DataConnectionGrant__Output as _trustzone_v1_DataConnectionGrant__Output } from '../../trustzone/v1/DataConnectionGrant';

export interface ReloadPlan {
  'appId'?: (string);
  'connections'?: (_trustzone_v1_DataConnectionGrant)[];
  /**
   * DIRECTORY\id the reload runs as
   */
  'runAs'?: (string);
}

export interface ReloadPlan__Output {
  'appId': (string);
  'connections': (_trustzone_v1_DataConnectionGrant__Output)[];
  /**
   * DIRECTORY\id the reload runs as
   */
  'runAs': (string);
}
