// Original file: libs/contracts/proto/engine.proto


export interface QixFrame {
  'text'?: (string);
  /**
   * Set by the proxy when the session ends: the engine sends the notification and closes.
   * Also the handover of a session to a stream under a rotated proxy certificate
   * (apps/engine/src/grpc/qix-handover.ts): "Handover" (proxy, old stream), "Resumed" or
   * "ResumeRefused" (engine, new stream).
   */
  'closeReason'?: (string);
}

export interface QixFrame__Output {
  'text': (string);
  /**
   * Set by the proxy when the session ends: the engine sends the notification and closes.
   * Also the handover of a session to a stream under a rotated proxy certificate
   * (apps/engine/src/grpc/qix-handover.ts): "Handover" (proxy, old stream), "Resumed" or
   * "ResumeRefused" (engine, new stream).
   */
  'closeReason': (string);
}
