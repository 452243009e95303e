export { runReload, type ReloadConnection, type ReloadFailure, type ReloadFileOptions, type ReloadOutcome, type RunReloadOptions } from './reload-runner';
export { ReloadError, ReloadErrorCode } from './reload.error';
export { sandboxExecArgv, spawnSandboxed, type SandboxExit, type SandboxGrants, type SandboxLimits, type SandboxedProcess } from './sandbox-launcher';
export type { StatementProgress, WorkerLimits } from './reload-protocol';
