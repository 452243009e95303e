/**
 * Failures of a reload that are not script errors (those keep libs/load-script's
 * ScriptErrorCode). Messages are safe for the app owner; `detail` on a failure is for the engine
 * log only (it may hold worker stderr) and must never be sent to clients.
 */
export enum ReloadErrorCode {
  TimeLimit = 'RELOAD_TIME_LIMIT',
  MemoryLimit = 'RELOAD_MEMORY_LIMIT',
  Aborted = 'RELOAD_ABORTED',
  WorkerCrashed = 'RELOAD_WORKER_CRASHED',
  Protocol = 'RELOAD_PROTOCOL',
  BadRequest = 'RELOAD_BAD_REQUEST',
}

export class ReloadError extends Error {
  override readonly name = 'ReloadError';

  constructor(
    readonly code: ReloadErrorCode,
    message: string,
  ) {
    super(message);
  }
}
