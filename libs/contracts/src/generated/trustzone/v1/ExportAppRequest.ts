// Original file: libs/contracts/proto/repository.proto


export interface ExportAppRequest {
  'appId'?: (string);
  /**
   * the caller's export token (Qlik's {token})
   */
  'token'?: (string);
  'skipData'?: (boolean);
}

export interface ExportAppRequest__Output {
  'appId': (string);
  /**
   * the caller's export token (Qlik's {token})
   */
  'token': (string);
  'skipData': (boolean);
}
