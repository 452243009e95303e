// Original file: libs/contracts/proto/repository.proto


export interface ScriptLogDownload {
  'fileName'?: (string);
  'text'?: (string);
}

export interface ScriptLogDownload__Output {
  'fileName': (string);
  'text': (string);
}
