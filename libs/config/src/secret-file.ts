import { readFileSync } from 'node:fs';
import { ConfigError } from './env-config';

/**
 * The value of a `*_FILE` variable: the file's content, trimmed (compose and make-secrets.sh write
 * secrets without a newline, editors add one). Config holds paths to secrets, never their values;
 * an unreadable or empty file stops the service with an error naming the variable and the file,
 * never the content.
 */
export function readSecretFile(path: string, variable: string): string {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('CONFIG_INVALID', `${variable}: cannot read ${path} (${code})`);
  }
  if (value === '') throw new ConfigError('CONFIG_INVALID', `${variable}: ${path} is empty`);
  return value;
}
