// Original file: libs/contracts/proto/repository.proto


export interface EntityRef {
  /**
   * app | app/object | stream | user | systemrule | ...
   */
  'type'?: (string);
  'id'?: (string);
  'privileges'?: (boolean);
  /**
   * PrepareReload only: the task run (execution result id) a scheduled reload belongs to.
   */
  'taskExecutionId'?: (string);
}

export interface EntityRef__Output {
  /**
   * app | app/object | stream | user | systemrule | ...
   */
  'type': (string);
  'id': (string);
  'privileges': (boolean);
  /**
   * PrepareReload only: the task run (execution result id) a scheduled reload belongs to.
   */
  'taskExecutionId': (string);
}
