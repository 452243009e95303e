// Original file: libs/contracts/proto/repository.proto


export interface ExplainRequest {
  /**
   * "DIRECTORY\\id"; empty = the asserted user
   */
  'user'?: (string);
  /**
   * "App_<guid>" or "<type>/<guid>"
   */
  'resource'?: (string);
  'action'?: (string);
}

export interface ExplainRequest__Output {
  /**
   * "DIRECTORY\\id"; empty = the asserted user
   */
  'user': (string);
  /**
   * "App_<guid>" or "<type>/<guid>"
   */
  'resource': (string);
  'action': (string);
}
