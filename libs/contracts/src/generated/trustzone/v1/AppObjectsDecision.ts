// Original file: libs/contracts/proto/repository.proto


export interface AppObjectsDecision {
  /**
   * The engine object ids the user may act on, in the order asked; the others are denied (or unknown).
   */
  'allowed'?: (string)[];
}

export interface AppObjectsDecision__Output {
  /**
   * The engine object ids the user may act on, in the order asked; the others are denied (or unknown).
   */
  'allowed': (string)[];
}
