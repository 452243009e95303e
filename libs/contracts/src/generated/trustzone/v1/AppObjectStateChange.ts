// Original file: libs/contracts/proto/repository.proto


export interface AppObjectStateChange {
  /**
   * The App.Object id (/qrs) or, with app_id, the engine object id (QIX).
   */
  'id'?: (string);
  'appId'?: (string);
  'engineObjectId'?: (string);
  /**
   * publish | unpublish | approve | unapprove
   */
  'change'?: (string);
}

export interface AppObjectStateChange__Output {
  /**
   * The App.Object id (/qrs) or, with app_id, the engine object id (QIX).
   */
  'id': (string);
  'appId': (string);
  'engineObjectId': (string);
  /**
   * publish | unpublish | approve | unapprove
   */
  'change': (string);
}
