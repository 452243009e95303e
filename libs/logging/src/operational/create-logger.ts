import winston from 'winston';
import { LoggingError, LoggingErrorCode } from '../logging.error';
import { jsonLineFormat } from './json-line.format';
import { openLogFile } from './log-file';

export type Logger = winston.Logger;
export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
const LEVELS: readonly string[] = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

export interface LoggerOptions {
  /** Service name written on every line ("proxy", "repository", "engine", "cli"). */
  service: string;
  level?: LogLevel;
  /** Path of the JSON-lines log file; its directory is created 0750 and the file kept 0640. */
  file?: string;
  /** true (default) writes to process.stdout; a stream writes there instead; false writes nowhere. */
  stdout?: boolean | NodeJS.WritableStream;
  /** Clock for the `time` field (tests). */
  now?: () => Date;
}

/**
 * The operational log: winston writing one redacted JSON object per line. Use
 * `logger.child({ component: 'session-store' })` for the `component` field. Audit events do not go
 * here; they go to the hash-chained audit log (openAuditLog).
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  if (!LEVELS.includes(level)) throw new LoggingError(LoggingErrorCode.InvalidOption, `unknown log level "${String(level)}"`);
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(options.service)) {
    throw new LoggingError(LoggingErrorCode.InvalidOption, 'service must be a short lower-case name');
  }
  const transports: winston.transport[] = [];
  const stdout = options.stdout ?? true;
  if (stdout !== false) transports.push(new winston.transports.Stream({ stream: stdout === true ? process.stdout : stdout, eol: '\n' }));
  if (options.file !== undefined) transports.push(new winston.transports.Stream({ stream: openLogFile(options.file), eol: '\n' }));
  // No destination is a legitimate choice (tests, --quiet); `silent` keeps winston from complaining.
  const silent = transports.length === 0;
  return winston.createLogger({
    level,
    levels: winston.config.npm.levels,
    format: jsonLineFormat(options.service, options.now ?? (() => new Date())),
    transports,
    silent,
    exitOnError: false,
  });
}
