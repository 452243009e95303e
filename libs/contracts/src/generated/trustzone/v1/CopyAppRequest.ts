// Original file: libs/contracts/proto/repository.proto


export interface CopyAppRequest {
  'appId'?: (string);
  'name'?: (string);
}

export interface CopyAppRequest__Output {
  'appId': (string);
  'name': (string);
}
