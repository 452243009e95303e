// Original file: libs/contracts/proto/repository.proto


export interface AppExportManifest {
  'appId'?: (string);
  'name'?: (string);
  'description'?: (string);
  'skipData'?: (boolean);
  'exportToken'?: (string);
  'exportedBy'?: (string);
  'siteId'?: (string);
  'siteName'?: (string);
  /**
   * The caller may read the script (Update on the app): the export keeps it; otherwise it is removed.
   */
  'includeScript'?: (boolean);
}

export interface AppExportManifest__Output {
  'appId': (string);
  'name': (string);
  'description': (string);
  'skipData': (boolean);
  'exportToken': (string);
  'exportedBy': (string);
  'siteId': (string);
  'siteName': (string);
  /**
   * The caller may read the script (Update on the app): the export keeps it; otherwise it is removed.
   */
  'includeScript': (boolean);
}
