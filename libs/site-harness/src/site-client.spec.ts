import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts, newXrfkey } from './index';

describe('site harness helpers', () => {
  it('newXrfkey gives 16 characters of [0-9a-zA-Z], different each time', () => {
    const keys = new Set(Array.from({ length: 50 }, newXrfkey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[0-9a-zA-Z]{16}$/);
  });

  it('freePorts returns distinct ports that can be bound', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const p of ports) {
      await new Promise<void>((resolve, reject) => {
        const s = createServer().once('error', reject).listen(p, '127.0.0.1', () => s.close(() => resolve()));
      });
    }
  });
});
