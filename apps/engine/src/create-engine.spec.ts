import { chmodSync } from 'node:fs';
import { appAuthKeyPath, createAppAuthKey } from '@trustzone/app-store';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEngineConfig } from './config';
import { createEngine } from './create-engine';
import { CUBE_CACHE } from './qix';

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
});
afterEach(() => site.cleanup());

describe('engine start-up and the app authentication key', () => {
  it('refuses to start without the key, or with one others can read, naming the file', async () => {
    const file = appAuthKeyPath(site.paths.keys);
    const start = () => createEngine(loadEngineConfig({ TZ_DATA_DIR: site.dataDir, TZ_ENGINE_METRICS_PORT: 'off' }));
    await expect(start()).rejects.toMatchObject({ code: 'AUTH_KEY_MISSING', message: expect.stringContaining(file) });
    await createAppAuthKey(file);
    chmodSync(file, 0o644);
    await expect(start()).rejects.toMatchObject({ code: 'KEY_FILE_UNSAFE', message: expect.stringContaining(file) });
    chmodSync(file, 0o600);
    const engine = await start();
    engine.host.close();
  });
});

describe('TZ_ENGINE_CUBE_CACHE_MB', () => {
  it('is validated (default 64, 0 allowed, negative or fractional refused naming the key)', () => {
    expect(loadEngineConfig({}).config.cubeCacheMb).toBe(64);
    expect(loadEngineConfig({ TZ_ENGINE_CUBE_CACHE_MB: '0' }).config.cubeCacheMb).toBe(0);
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => loadEngineConfig({ TZ_ENGINE_CUBE_CACHE_MB: bad })).toThrow(/TZ_ENGINE_CUBE_CACHE_MB/);
    }
  });

  it('sizes the engine-wide cube cache at start-up', async () => {
    await createAppAuthKey(appAuthKeyPath(site.paths.keys));
    const start = (mb?: string) => createEngine(loadEngineConfig({ TZ_DATA_DIR: site.dataDir, TZ_ENGINE_METRICS_PORT: 'off', ...(mb === undefined ? {} : { TZ_ENGINE_CUBE_CACHE_MB: mb }) }));
    try {
      for (const [mb, bytes] of [['0', 0], ['3', 3 * 1024 * 1024], [undefined, 64 * 1024 * 1024]] as const) {
        const engine = await start(mb);
        expect({ mb, budget: CUBE_CACHE.budget }).toEqual({ mb, budget: bytes });
        engine.host.close();
      }
    } finally {
      CUBE_CACHE.resize(64 * 1024 * 1024);
    }
  });
});
