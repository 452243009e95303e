// Original file: libs/contracts/proto/repository.proto


export interface ExistingAppObject {
  'engineObjectId'?: (string);
  'objectType'?: (string);
  /**
   * DIRECTORY\\userId as the app file records the owner.
   */
  'owner'?: (string);
  'published'?: (boolean);
  'approved'?: (boolean);
}

export interface ExistingAppObject__Output {
  'engineObjectId': (string);
  'objectType': (string);
  /**
   * DIRECTORY\\userId as the app file records the owner.
   */
  'owner': (string);
  'published': (boolean);
  'approved': (boolean);
}
