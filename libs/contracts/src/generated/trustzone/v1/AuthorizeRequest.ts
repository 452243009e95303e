// Original file: libs/contracts/proto/repository.proto


export interface AuthorizeRequest {
  'resourceType'?: (string);
  'resourceId'?: (string);
  /**
   * read | update | ... (lower-case action names)
   */
  'action'?: (string);
}

export interface AuthorizeRequest__Output {
  'resourceType': (string);
  'resourceId': (string);
  /**
   * read | update | ... (lower-case action names)
   */
  'action': (string);
}
