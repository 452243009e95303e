// Original file: libs/contracts/proto/engine.proto


export interface AppDataRef {
  'appId'?: (string);
}

export interface AppDataRef__Output {
  'appId': (string);
}
