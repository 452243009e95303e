// Original file: libs/contracts/proto/repository.proto

import type { LoginAttribute as _trustzone_v1_LoginAttribute, LoginAttribute__Output as _trustzone_v1_LoginAttribute__Output } from '../../trustzone/v1/LoginAttribute';
import type { AuditEvent as _trustzone_v1_AuditEvent, AuditEvent__Output as _trustzone_v1_AuditEvent__Output } from '../../trustzone/v1/AuditEvent';

export interface LoginRecord {
  /**
   * ticket | session | header | jwt | oidc (the login method: the attributes' source)
   */
  'method'?: (string);
  'attributes'?: (_trustzone_v1_LoginAttribute)[];
  /**
   * The proxy's own record of this login (its session.start), written by the repository once the
   * attributes are: one call per login instead of two (RecordLogin, then RecordAudit). Optional.
   */
  'audit'?: (_trustzone_v1_AuditEvent | null);
}

export interface LoginRecord__Output {
  /**
   * ticket | session | header | jwt | oidc (the login method: the attributes' source)
   */
  'method': (string);
  'attributes': (_trustzone_v1_LoginAttribute__Output)[];
  /**
   * The proxy's own record of this login (its session.start), written by the repository once the
   * attributes are: one call per login instead of two (RecordLogin, then RecordAudit). Optional.
   */
  'audit': (_trustzone_v1_AuditEvent__Output | null);
}
