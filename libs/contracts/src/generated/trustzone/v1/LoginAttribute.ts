// Original file: libs/contracts/proto/repository.proto


export interface LoginAttribute {
  'type'?: (string);
  'value'?: (string);
}

export interface LoginAttribute__Output {
  'type': (string);
  'value': (string);
}
