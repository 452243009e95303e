// Original file: libs/contracts/proto/repository.proto


export interface AppScript {
  'appId'?: (string);
  'script'?: (string);
}

export interface AppScript__Output {
  'appId': (string);
  'script': (string);
}
