import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseUrlOf } from './site-backup.subcommand';

// Found running the compose site in real containers (issue 20): the compose `init` gets the
// database URL only as a secret file (TZ_DATABASE_URL_FILE), and `tz site backup` there looked for
// the SQLite file instead and failed with SQLITE_CANTOPEN.
describe('the database tz site backup uses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-backup-url-'));
  const secret = join(dir, 'database_url');
  const url = `postgresql://trustzone:${Math.random().toString(36).slice(2)}@postgres:5432/trustzone`;
  writeFileSync(secret, `${url}\n`, { mode: 0o400 });

  it('is read from the file TZ_DATABASE_URL_FILE names (trailing newline trimmed)', () => {
    expect(databaseUrlOf(undefined, { TZ_DATABASE_URL_FILE: secret }, dir)).toBe(url);
  });

  it('--database-url, then TZ_DATABASE_URL, take precedence; without any, the site SQLite file', () => {
    expect(databaseUrlOf('postgresql://flag/db', { TZ_DATABASE_URL: 'postgresql://env/db', TZ_DATABASE_URL_FILE: secret }, dir)).toBe('postgresql://flag/db');
    expect(databaseUrlOf(undefined, { TZ_DATABASE_URL: 'postgresql://env/db', TZ_DATABASE_URL_FILE: secret }, dir)).toBe('postgresql://env/db');
    expect(databaseUrlOf(undefined, {}, dir)).toBe(`file:${join(dir, 'db', 'repository.db')}`);
  });

  it('an unreadable or empty file is an error naming the variable, never a silent fallback to SQLite', () => {
    expect(() => databaseUrlOf(undefined, { TZ_DATABASE_URL_FILE: join(dir, 'missing') }, dir)).toThrow(/TZ_DATABASE_URL_FILE: cannot read/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => databaseUrlOf(undefined, { TZ_DATABASE_URL_FILE: empty }, dir)).toThrow(/TZ_DATABASE_URL_FILE: .* is empty/);
  });
});
