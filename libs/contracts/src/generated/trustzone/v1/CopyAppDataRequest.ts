// Original file: libs/contracts/proto/engine.proto


export interface CopyAppDataRequest {
  'fromAppId'?: (string);
  'toAppId'?: (string);
}

export interface CopyAppDataRequest__Output {
  'fromAppId': (string);
  'toAppId': (string);
}
