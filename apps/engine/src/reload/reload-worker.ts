// Sandbox first: this import must stay the first statement so the lockdown runs before anything else.
import './sandbox-lockdown';
import { runScript, ScriptError } from '@trustzone/load-script';
import { createConnectionFileSource } from './connection-file-source';
import { ReloadErrorCode } from './reload.error';
import { toWireResult } from './load-result.validator';
import { parseStartMessage, type OutgoingWorkerMessage, type WorkerFailure } from './reload-protocol';
import { WorkerFileBridge } from './worker-file-bridge';

/**
 * Entry of the sandboxed reload process (bundled to dist/apps/engine/reload-worker.cjs with no
 * externals). Receives one start message, runs the script, streams progress, sends one result or
 * error, then disconnects so the process ends.
 */
const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

function send(message: OutgoingWorkerMessage, then?: () => void): void {
  if (!process.send) return;
  process.send(message, undefined, {}, () => then?.());
}

function finish(message: OutgoingWorkerMessage): void {
  send(message, () => process.disconnect());
}

// STOREs and encrypted files go through the engine: this process may not write and holds no keys.
const bridge = new WorkerFileBridge((request) => send(request));

async function handle(raw: unknown): Promise<void> {
  const start = parseStartMessage(raw);
  if (typeof start === 'string') {
    finish({ type: 'error', error: { message: start, code: ReloadErrorCode.BadRequest } });
    return;
  }
  const { maxFileBytes, ...limits } = start.limits;
  const files = createConnectionFileSource(start.connections, { maxFileBytes: maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, openSealed: bridge.openSealed, unavailable: start.unavailable });
  try {
    const result = await runScript(start.script, {
      files,
      sink: bridge.sink,
      limits,
      progress: (table, rows) => send({ type: 'progress', table, rows }),
      onStatement: (e) => send({ type: 'statement', kind: e.kind, line: e.line, column: e.column, text: e.text }),
    });
    // QVD fields loaded whole stay symbols + index arrays across the IPC (see toWireResult).
    finish({ type: 'result', result: toWireResult(result) });
  } catch (e) {
    finish({ type: 'error', error: toFailure(e) });
  }
}

function toFailure(e: unknown): WorkerFailure {
  if (e instanceof ScriptError) return e.toJSON();
  if (e instanceof RangeError) return { message: `reload failed: ${e.message}`, code: ReloadErrorCode.WorkerCrashed };
  // Anything else is an internal fault: do not leak its details to the script author.
  return { message: 'reload failed with an internal error', code: ReloadErrorCode.WorkerCrashed };
}

if (!process.send) {
  process.stderr.write('reload-worker must be started by the engine with an IPC channel\n');
  process.exitCode = 2;
} else {
  let started = false;
  process.on('message', (raw: unknown) => {
    if (bridge.receive(raw)) return;
    if (started) return; // one start message per process
    started = true;
    void handle(raw);
  });
}
