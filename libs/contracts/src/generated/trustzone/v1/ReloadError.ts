// Original file: libs/contracts/proto/engine.proto


export interface ReloadError {
  'line'?: (number);
  'column'?: (number);
  'message'?: (string);
  'code'?: (string);
  /**
   * The statement that failed, one line (empty when the failure is not a statement's).
   */
  'statement'?: (string);
}

export interface ReloadError__Output {
  'line': (number);
  'column': (number);
  'message': (string);
  'code': (string);
  /**
   * The statement that failed, one line (empty when the failure is not a statement's).
   */
  'statement': (string);
}
