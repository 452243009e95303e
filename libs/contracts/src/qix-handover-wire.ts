/**
 * The wire of a QIX session handover between a proxy and an engine (the protocol is described in
 * apps/engine/src/grpc/qix-handover.ts). Control values travel in `QixFrame.close_reason`; the keys
 * in the stream's metadata. One definition for both sides, so they cannot drift apart.
 */
export const QixHandoverWire = {
  /** proxy → engine, on the old stream: nothing more follows on it. */
  handover: 'Handover',
  /** engine → proxy, first frame of the new stream: the session answers here now. */
  resumed: 'Resumed',
  /** engine → proxy, on the new stream before it ends: the session stays where it was. */
  refused: 'ResumeRefused',
  /** Metadata of a session's first stream: the secret a later stream must present. */
  keyHeader: 'x-tz-qix-resume-key',
  /** Metadata of a stream that asks to take a session over, carrying that secret. */
  resumeHeader: 'x-tz-qix-resume',
} as const;
