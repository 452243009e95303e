// Original file: libs/contracts/proto/repository.proto


export interface DataConnectionGrant {
  'name'?: (string);
  'path'?: (string);
}

export interface DataConnectionGrant__Output {
  'name': (string);
  'path': (string);
}
