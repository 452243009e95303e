// Original file: libs/contracts/proto/repository.proto


/**
 * One object as the engine names it: its id in the app file (qInfo.qId). The type is read for a
 * create only (the object does not exist yet); for every other action the repository's row decides.
 */
export interface AppObjectClaim {
  'engineObjectId'?: (string);
  'objectType'?: (string);
}

/**
 * One object as the engine names it: its id in the app file (qInfo.qId). The type is read for a
 * create only (the object does not exist yet); for every other action the repository's row decides.
 */
export interface AppObjectClaim__Output {
  'engineObjectId': (string);
  'objectType': (string);
}
