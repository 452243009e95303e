/**
 * Per-session bounds. A QIX client is untrusted input reaching the engine through the proxy: every
 * frame, every stored object and every wait is bounded so one session cannot exhaust the engine.
 */
export interface QixLimits {
  /** Largest accepted frame, in UTF-8 bytes. */
  maxFrameBytes: number;
  /** Deepest accepted JSON nesting (arrays and objects). */
  maxJsonDepth: number;
  /** Live handles per session (doc, fields, session objects). */
  maxHandles: number;
  /** Frames queued behind the one being answered. */
  maxPendingRequests: number;
  /** Stored properties of one session object, in JSON characters. */
  maxPropertiesChars: number;
  /** How long OpenDoc waits for the app to be authorized, loaded and reduced. */
  openAppTimeoutMs: number;
  /** Entries GetDocList returns at most. */
  maxDocList: number;
}

export const DEFAULT_QIX_LIMITS: Readonly<QixLimits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  maxJsonDepth: 64,
  maxHandles: 500,
  maxPendingRequests: 32,
  maxPropertiesChars: 64 * 1024,
  openAppTimeoutMs: 30_000,
  maxDocList: 10_000,
});

/** Defaults overlaid with `overrides`; a non-positive or non-integer bound is a programming error. */
export function resolveQixLimits(overrides: Partial<QixLimits> = {}): QixLimits {
  const out: QixLimits = { ...DEFAULT_QIX_LIMITS };
  for (const key of Object.keys(DEFAULT_QIX_LIMITS) as (keyof QixLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`QIX limit ${key} must be a positive integer`);
    out[key] = v;
  }
  return out;
}
