// Original file: libs/contracts/proto/repository.proto


export interface AuthorizeResponse {
  'allowed'?: (boolean);
  'reason'?: (string);
}

export interface AuthorizeResponse__Output {
  'allowed': (boolean);
  'reason': (string);
}
