// Original file: libs/contracts/proto/engine.proto


export interface QixFrame {
  'text'?: (string);
  /**
   * Set by the proxy when the session ends: the engine sends the notification and closes.
   */
  'closeReason'?: (string);
}

export interface QixFrame__Output {
  'text': (string);
  /**
   * Set by the proxy when the session ends: the engine sends the notification and closes.
   */
  'closeReason': (string);
}
