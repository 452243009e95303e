import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, describeConfig, key, loadConfig, port } from './env-config';

const spec = {
  port: key('TZ_X_PORT', 'listen port', port(4242)),
  host: key('TZ_X_HOST', 'bind address', z.string().default('127.0.0.1'), (v) => (v === '0.0.0.0' ? 'binds every interface' : undefined)),
};

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    expect(loadConfig(spec, {}).config).toEqual({ port: 4242, host: '127.0.0.1' });
    expect(loadConfig(spec, { TZ_X_PORT: '5000' }).config.port).toBe(5000);
  });
  it('names the variable of an invalid value', () => {
    expect(() => loadConfig(spec, { TZ_X_PORT: 'abc' })).toThrow(/TZ_X_PORT/);
    expect(() => loadConfig(spec, { TZ_X_PORT: '70000' })).toThrow(ConfigError);
  });
  it('warns about unsafe values in development and refuses them in production', () => {
    expect(loadConfig(spec, { TZ_X_HOST: '0.0.0.0' }).warnings).toEqual(['TZ_X_HOST: binds every interface']);
    expect(() => loadConfig(spec, { TZ_X_HOST: '0.0.0.0', NODE_ENV: 'production' })).toThrow(/refused under NODE_ENV=production/);
  });
  it('documents every key with its default', () => {
    const md = describeConfig('x', spec);
    expect(md).toContain('| `TZ_X_PORT` | listen port | `4242` |');
  });
});
