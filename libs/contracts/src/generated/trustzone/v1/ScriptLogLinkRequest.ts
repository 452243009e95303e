// Original file: libs/contracts/proto/repository.proto


export interface ScriptLogLinkRequest {
  'taskId'?: (string);
  'fileReferenceId'?: (string);
}

export interface ScriptLogLinkRequest__Output {
  'taskId': (string);
  'fileReferenceId': (string);
}
