import { describe, expect, it } from 'vitest';
import { parseCompose } from '../compose/compose-file';
import { startOrder } from './site-lab';

const compose = parseCompose(`
services:
  app:
    image: x
    depends_on: { db: { condition: service_healthy }, cache: { condition: service_healthy, required: false } }
  db:
    image: y
  cache:
    image: z
    profiles: [scale]
`);

describe('lab start order (docker compose up)', () => {
  it('starts dependencies first, skips an optional one outside the profiles, and refuses a missing required one or a cycle', () => {
    expect(startOrder(compose, ['app', 'db'])).toEqual(['db', 'app']);
    expect(startOrder(compose, ['app', 'db', 'cache'])).toEqual(['db', 'cache', 'app']);
    expect(() => startOrder(compose, ['app'])).toThrow(/requires db/);
    const cyclic = parseCompose('services:\n  a: { image: x, depends_on: [b] }\n  b: { image: x, depends_on: [a] }\n');
    expect(() => startOrder(cyclic, ['a', 'b'])).toThrow(/cycle/);
  });
});
