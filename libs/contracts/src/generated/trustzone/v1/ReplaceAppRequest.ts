// Original file: libs/contracts/proto/repository.proto


export interface ReplaceAppRequest {
  'sourceAppId'?: (string);
  'targetAppId'?: (string);
}

export interface ReplaceAppRequest__Output {
  'sourceAppId': (string);
  'targetAppId': (string);
}
