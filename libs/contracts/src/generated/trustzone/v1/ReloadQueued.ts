// Original file: libs/contracts/proto/engine.proto


export interface ReloadQueued {
  /**
   * 1 = next to run.
   */
  'position'?: (number);
}

export interface ReloadQueued__Output {
  /**
   * 1 = next to run.
   */
  'position': (number);
}
