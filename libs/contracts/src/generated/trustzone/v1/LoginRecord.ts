// Original file: libs/contracts/proto/repository.proto

import type { LoginAttribute as _trustzone_v1_LoginAttribute, LoginAttribute__Output as _trustzone_v1_LoginAttribute__Output } from '../../trustzone/v1/LoginAttribute';

export interface LoginRecord {
  /**
   * ticket | session | header | jwt | oidc (the login method: the attributes' source)
   */
  'method'?: (string);
  'attributes'?: (_trustzone_v1_LoginAttribute)[];
}

export interface LoginRecord__Output {
  /**
   * ticket | session | header | jwt | oidc (the login method: the attributes' source)
   */
  'method': (string);
  'attributes': (_trustzone_v1_LoginAttribute__Output)[];
}
