// Original file: libs/contracts/proto/repository.proto


export interface ResolveUserRequest {
  'userDirectory'?: (string);
  'userId'?: (string);
  'createIfMissing'?: (boolean);
  'name'?: (string);
}

export interface ResolveUserRequest__Output {
  'userDirectory': (string);
  'userId': (string);
  'createIfMissing': (boolean);
  'name': (string);
}
