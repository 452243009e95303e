// Original file: libs/contracts/proto/repository.proto


export interface DownloadRequest {
  'ticket'?: (string);
  'appId'?: (string);
}

export interface DownloadRequest__Output {
  'ticket': (string);
  'appId': (string);
}
