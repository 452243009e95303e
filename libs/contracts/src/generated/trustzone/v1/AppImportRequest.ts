// Original file: libs/contracts/proto/repository.proto


export interface AppImportRequest {
  'name'?: (string);
  /**
   * what the package says about the app (description, script, source)
   */
  'manifestJson'?: (string);
  /**
   * replace this app's content instead of creating one
   */
  'targetAppId'?: (string);
  /**
   * only check the rights and answer the id the app will have
   */
  'dryRun'?: (boolean);
  /**
   * the id the dry run answered (commit)
   */
  'appId'?: (string);
}

export interface AppImportRequest__Output {
  'name': (string);
  /**
   * what the package says about the app (description, script, source)
   */
  'manifestJson': (string);
  /**
   * replace this app's content instead of creating one
   */
  'targetAppId': (string);
  /**
   * only check the rights and answer the id the app will have
   */
  'dryRun': (boolean);
  /**
   * the id the dry run answered (commit)
   */
  'appId': (string);
}
