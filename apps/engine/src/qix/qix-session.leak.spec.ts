import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enigmaSession } from './testing/enigma-client';
import { exerciseEverything, findLeaks, forbiddenFor } from './testing/leak-probe';
import { type QixTestServer, startQixTestServer } from './testing/qix-test-server';
import { salesLoadResult } from './testing/sales-fixture';

/**
 * Threat: a reduced user learns data section access excludes, through any answer of the protocol
 * (values, lists, totals, table data, evaluate, error messages). A reduced session makes every kind
 * of call and every frame the server sent it is scanned for the excluded values. The same calls as
 * ROOT must surface every one of those values — proof the probe reaches them and the scan sees them.
 */
let server: QixTestServer;
let rootFrames: string[] = [];

async function framesOf(user: string): Promise<string[]> {
  const index = server.sent.length;
  const session = enigmaSession(server.url('sales'), user);
  await exerciseEverything(await session.open());
  await session.close();
  return server.sent[index]!;
}

beforeAll(async () => {
  server = await startQixTestServer([{ appId: 'sales', title: 'Sales', load: salesLoadResult() }]);
  rootFrames = await framesOf('CORP\\ROOT');
}, 60_000);
afterAll(() => server.close());

describe.each([
  { user: 'CORP\\ALICE', regions: ['EAST'], omitted: [] as string[] },
  { user: 'CORP\\BOB', regions: ['WEST', 'NORTH'], omitted: ['MARGIN'] },
])('no excluded value reaches $user', ({ user, regions, omitted }) => {
  const forbidden = forbiddenFor(regions, omitted);

  it('the probe reaches every forbidden value when nothing is excluded (ROOT)', () => {
    const seen = new Set(findLeaks(rootFrames, forbidden).map((h) => h.token));
    expect(forbidden.texts.filter((t) => !seen.has(t))).toEqual([]);
    expect(forbidden.numbers.map(String).filter((n) => !seen.has(n))).toEqual([]);
  });

  it('not one frame sent to the reduced session holds one of them', async () => {
    const frames = await framesOf(user);
    expect(frames.length).toBeGreaterThan(1000);
    expect(frames.some((f) => f.includes('"error"'))).toBe(true);
    expect(findLeaks(frames, forbidden)).toEqual([]);
  }, 60_000);
});
