// Original file: libs/contracts/proto/repository.proto


export interface StartTaskRequest {
  /**
   * or empty, with name
   */
  'taskId'?: (string);
  'name'?: (string);
  'synchronous'?: (boolean);
}

export interface StartTaskRequest__Output {
  /**
   * or empty, with name
   */
  'taskId': (string);
  'name': (string);
  'synchronous': (boolean);
}
