// Original file: libs/contracts/proto/repository.proto


export interface AuditEvent {
  'action'?: (string);
  /**
   * success | failure | denied | error
   */
  'outcome'?: (string);
  'targetType'?: (string);
  'targetId'?: (string);
  'reason'?: (string);
  'detailsJson'?: (string);
  /**
   * DIRECTORY\id when not carried by metadata
   */
  'user'?: (string);
}

export interface AuditEvent__Output {
  'action': (string);
  /**
   * success | failure | denied | error
   */
  'outcome': (string);
  'targetType': (string);
  'targetId': (string);
  'reason': (string);
  'detailsJson': (string);
  /**
   * DIRECTORY\id when not carried by metadata
   */
  'user': (string);
}
