// Original file: libs/contracts/proto/engine.proto


export interface ReloadRequest {
  'appId'?: (string);
  /**
   * Set by the repository's scheduler only: the task run this reload is (the repository checks it).
   */
  'taskExecutionId'?: (string);
}

export interface ReloadRequest__Output {
  'appId': (string);
  /**
   * Set by the repository's scheduler only: the task run this reload is (the repository checks it).
   */
  'taskExecutionId': (string);
}
