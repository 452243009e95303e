// Original file: libs/contracts/proto/repository.proto


export interface EntityRef {
  /**
   * app | app/object | stream | user | systemrule | ...
   */
  'type'?: (string);
  'id'?: (string);
  'privileges'?: (boolean);
}

export interface EntityRef__Output {
  /**
   * app | app/object | stream | user | systemrule | ...
   */
  'type': (string);
  'id': (string);
  'privileges': (boolean);
}
