// Original file: libs/contracts/proto/repository.proto


export interface AppObjectRow {
  'appId'?: (string);
  'engineObjectId'?: (string);
  /**
   * RegisterAppObject only
   */
  'objectType'?: (string);
  /**
   * RegisterAppObject, RenameAppObject
   */
  'name'?: (string);
}

export interface AppObjectRow__Output {
  'appId': (string);
  'engineObjectId': (string);
  /**
   * RegisterAppObject only
   */
  'objectType': (string);
  /**
   * RegisterAppObject, RenameAppObject
   */
  'name': (string);
}
