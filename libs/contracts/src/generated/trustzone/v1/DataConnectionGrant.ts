// Original file: libs/contracts/proto/repository.proto


export interface DataConnectionGrant {
  'name'?: (string);
  'path'?: (string);
  /**
   * STORE may write here: Update on the connection for the user and the app owner
   */
  'writable'?: (boolean);
}

export interface DataConnectionGrant__Output {
  'name': (string);
  'path': (string);
  /**
   * STORE may write here: Update on the connection for the user and the app owner
   */
  'writable': (boolean);
}
