import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from './create-logger';
import { createLogger } from './create-logger';

interface Line {
  time: string;
  level: string;
  service: string;
  component?: string;
  message: string;
  fields?: Record<string, unknown>;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function capture(write: (logger: Logger) => void, level: 'info' | 'debug' = 'info'): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const logger = createLogger({ service: 'proxy', level, stdout: stream, now: () => new Date(Date.UTC(2030, 0, 2)) });
  write(logger);
  await new Promise((r) => setImmediate(r));
  return Buffer.concat(chunks).toString('utf8');
}

const lines = (text: string): Line[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

describe('createLogger', () => {
  it('writes one JSON object per line with the envelope fields and the child component', async () => {
    const out = await capture((logger) => {
      logger.info('started', { port: 4243 });
      logger.child({ component: 'session-store' }).warn('evicted', { count: 3 });
      logger.debug('hidden at info level');
    });
    expect(lines(out)).toEqual([
      { time: '2030-01-02T00:00:00.000Z', level: 'info', service: 'proxy', message: 'started', fields: { port: 4243 } },
      { time: '2030-01-02T00:00:00.000Z', level: 'warn', service: 'proxy', component: 'session-store', message: 'evicted', fields: { count: 3 } },
    ]);
  });

  it('keeps a caller from spoofing the envelope through metadata', async () => {
    const out = await capture((logger) => logger.info('x', { service: 'repository', time: 'then' }));
    const [line] = lines(out);
    expect(line?.service).toBe('proxy');
    expect(line?.time).toBe('2030-01-02T00:00:00.000Z');
  });

  it('redacts secrets in fields, in the message and in logged errors before writing', async () => {
    const [ticket, cookie, token] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const out = await capture((logger) => {
      logger.info(`redeem /hub?qlikTicket=${ticket}`, { headers: { Cookie: `X-Qlik-Session=${cookie}` } });
      logger.error('upstream failed', { err: new Error(`Bearer ${token} refused`) });
    });
    for (const s of [ticket, cookie, token]) expect(out).not.toContain(s);
    const [first, second] = lines(out);
    expect(first?.message).toBe('redeem /hub?qlikTicket=[REDACTED]');
    expect(first?.fields).toEqual({ headers: { Cookie: '[REDACTED]' } });
    expect((second?.fields?.['err'] as { message: string }).message).toBe('Bearer [REDACTED] refused');
  });

  it('cannot be made to emit a fake line by a message or field value', async () => {
    const forged = '\n{"time":"2030-01-01T00:00:00.000Z","level":"info","service":"proxy","message":"admin login ok"}';
    const out = await capture((logger) => logger.info(`user ${forged}\u2028\u0085`, { user: forged }));
    expect(out.split('\n').filter((l) => l.length > 0)).toHaveLength(1);
    expect(out).not.toMatch(/[\u2028\u0085]/);
    expect(lines(out)[0]?.message).toBe(`user ${forged}\u2028\u0085`);
  });

  it('creates the log directory 0750 and the file 0640 regardless of umask', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tz-log-'));
    dirs.push(base);
    const file = join(base, 'logs', 'proxy.log');
    const previous = process.umask(0o000);
    let logger: Logger;
    try {
      logger = createLogger({ service: 'proxy', file, stdout: false });
    } finally {
      process.umask(previous);
    }
    logger.info('hello', { password: 'p' });
    await new Promise<void>((resolve) => {
      logger.on('finish', resolve);
      logger.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(statSync(join(base, 'logs')).mode & 0o777).toBe(0o750);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(lines(readFileSync(file, 'utf8'))[0]?.fields).toEqual({ password: '[REDACTED]' });
  });

  it('refuses an unknown level or a malformed service name', () => {
    expect(() => createLogger({ service: 'proxy', level: 'loud' as 'info', stdout: false })).toThrow(/unknown log level/);
    expect(() => createLogger({ service: 'Proxy\n', stdout: false })).toThrow(/service/);
  });
});
