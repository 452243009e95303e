import { chmodSync } from 'node:fs';
import { appAuthKeyPath, createAppAuthKey } from '@trustzone/app-store';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEngineConfig } from './config';
import { createEngine } from './create-engine';

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
