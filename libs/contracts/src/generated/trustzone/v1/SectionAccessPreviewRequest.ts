// Original file: libs/contracts/proto/repository.proto


/**
 * A section-access preview: an app and either a user (directory + id) or a group.
 */
export interface SectionAccessPreviewRequest {
  'appId'?: (string);
  'userDirectory'?: (string);
  'userId'?: (string);
  'group'?: (string);
}

/**
 * A section-access preview: an app and either a user (directory + id) or a group.
 */
export interface SectionAccessPreviewRequest__Output {
  'appId': (string);
  'userDirectory': (string);
  'userId': (string);
  'group': (string);
}
