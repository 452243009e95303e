// Original file: libs/contracts/proto/engine.proto


export interface ExportAppStreamRequest {
  'appId'?: (string);
  'ticket'?: (string);
}

export interface ExportAppStreamRequest__Output {
  'appId': (string);
  'ticket': (string);
}
