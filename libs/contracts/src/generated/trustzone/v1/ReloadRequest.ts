// Original file: libs/contracts/proto/engine.proto


export interface ReloadRequest {
  'appId'?: (string);
}

export interface ReloadRequest__Output {
  'appId': (string);
}
