// Original file: libs/contracts/proto/repository.proto

import type { Long } from '@grpc/proto-loader';

export interface AppScriptAccess {
  'appId'?: (string);
  'write'?: (boolean);
  'scriptBytes'?: (number | string | Long);
  /**
   * How the user reached the script: "qrs" (/qrs/app/{id}/script) or "qix" (GetScript/SetScript).
   */
  'via'?: (string);
}

export interface AppScriptAccess__Output {
  'appId': (string);
  'write': (boolean);
  'scriptBytes': (number);
  /**
   * How the user reached the script: "qrs" (/qrs/app/{id}/script) or "qix" (GetScript/SetScript).
   */
  'via': (string);
}
