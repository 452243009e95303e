// Original file: libs/contracts/proto/repository.proto


export interface AppExportManifest {
  'appId'?: (string);
  'name'?: (string);
  'description'?: (string);
  'script'?: (string);
  'skipData'?: (boolean);
  'exportToken'?: (string);
  'exportedBy'?: (string);
  'siteId'?: (string);
  'siteName'?: (string);
}

export interface AppExportManifest__Output {
  'appId': (string);
  'name': (string);
  'description': (string);
  'script': (string);
  'skipData': (boolean);
  'exportToken': (string);
  'exportedBy': (string);
  'siteId': (string);
  'siteName': (string);
}
