// Original file: libs/contracts/proto/repository.proto


export interface JsonPayload {
  'json'?: (string);
}

export interface JsonPayload__Output {
  'json': (string);
}
