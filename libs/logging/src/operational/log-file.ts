import { chmodSync, closeSync, createWriteStream, existsSync, fchmodSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { LoggingError, LoggingErrorCode } from '../logging.error';

export const LOG_DIR_MODE = 0o750;
export const LOG_FILE_MODE = 0o640;

/**
 * Opens the operational log for appending with the modes of trust-zone.md "Server security"
 * (logs/ 0750, files 0640). A directory we create gets 0750 regardless of umask; an existing one is
 * left alone (it may be a shared /var/log). The file is chmod-ed after opening because the mode
 * passed to open() only applies on creation and is filtered by umask.
 */
export function openLogFile(file: string): WriteStream {
  const dir = dirname(file);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: LOG_DIR_MODE });
    chmodSync(dir, LOG_DIR_MODE);
  }
  const fd = openSync(file, 'a', LOG_FILE_MODE);
  try {
    if (!fstatSync(fd).isFile()) throw new LoggingError(LoggingErrorCode.FileUnsafe, `log file ${file} is not a regular file`, file);
    fchmodSync(fd, LOG_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return createWriteStream(file, { fd, flags: 'a' });
}
