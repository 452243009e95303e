// Original file: libs/contracts/proto/repository.proto


export interface PublishAppRequest {
  'appId'?: (string);
  'streamId'?: (string);
  'name'?: (string);
}

export interface PublishAppRequest__Output {
  'appId': (string);
  'streamId': (string);
  'name': (string);
}
