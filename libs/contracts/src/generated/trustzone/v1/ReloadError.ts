// Original file: libs/contracts/proto/engine.proto


export interface ReloadError {
  'line'?: (number);
  'column'?: (number);
  'message'?: (string);
  'code'?: (string);
}

export interface ReloadError__Output {
  'line': (number);
  'column': (number);
  'message': (string);
  'code': (string);
}
