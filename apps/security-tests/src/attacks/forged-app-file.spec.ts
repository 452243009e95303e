import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataModel, decodeDataModel, encodeDataModel } from '@trustzone/data-model';
import { createCa, sitePaths } from '@trustzone/trust';
import { AppAuthKey, decodeAppDocument, encodeAppDocument, encodeAppFile, openKeyStore } from '@trustzone/app-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { checksummedPayload, forgeChecksummed, forgeEncrypted } from '../test-support/app-file-forger';
import { connectQix } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish, reloadWith } from '../test-support/site-content';

// Tampering with app files at rest (issue 15, finding 13). The data key of an encrypted file is
// wrapped with a *public* certificate and a checksummed file carries a plain SHA-256, so anyone who
// can write `apps/` (a backup operator, a neighbouring container with the volume) could write a file
// the engine accepted: one without its security table, or with data of their choosing. Files must
// be authenticated with a secret only engines hold; a file not written by an engine is refused.
const SCRIPT = [
  'Section Access;',
  inline('SA', ['ACCESS', 'USERID', 'REGION'], [['ADMIN', 'INTERNAL\\SA_SCHEDULER', ''], ['ADMIN', 'CORP\\ADMIN', ''], ['USER', 'CORP\\ALICE', 'EAST']]),
  'Section Application;',
  inline('Pay', ['NAME', 'REGION', 'SALARY'], [['Ann', 'EAST', 61_001], ['Ben', 'WEST', 97_002], ['Cid', 'NORTH', 88_003]]),
].join('\n');

let a: AttackSite;
let app: string;
let file: string;

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Pay', SCRIPT);
  await publish(a, app, await everyoneStream(a));
  file = join(sitePaths(a.site.dataDir).apps, `${app}.tzapp`);
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

/** What alice gets: the rows she sees, or the QIX error of her OpenDoc. */
async function aliceSees(): Promise<{ rows: number } | { code: number; parameter: string }> {
  const q = await connectQix(a, await a.login('CORP\\alice'), app);
  try {
    const doc = await q.global.openDoc(app);
    return { rows: Number(await doc.evaluate('Count(NAME)')) };
  } catch (e) {
    const err = e as { code: number; parameter?: string };
    return { code: err.code, parameter: err.parameter ?? '' };
  } finally {
    await q.close();
  }
}

function refusedAsForged(r: Awaited<ReturnType<typeof aliceSees>>): void {
  expect(r).toMatchObject({ code: 1003, parameter: expect.stringContaining(app) });
  if ('parameter' in r) expect(r.parameter).toMatch(/integrity|not written by an engine|authenticat/i);
}

describe('Tampering › forged app files', () => {
  it('a checksummed file rewritten without its security table is refused on open', async () => {
    expect(await aliceSees()).toEqual({ rows: 1 });
    // The payload is the app document (data model + load script); the attacker keeps the script.
    const doc = decodeAppDocument(checksummedPayload(readFileSync(file)));
    const model = decodeDataModel(doc.model!);
    expect(model.securityTable).not.toBeNull();
    const stripped = encodeAppDocument({ model: encodeDataModel({ ...model, securityTable: null }), script: doc.script });
    // In the format the site writes today too: the attacker has everything but the site's key.
    for (const forged of [forgeChecksummed(app, stripped, 1), forgeChecksummed(app, stripped, 2), Buffer.concat([...encodeAppFile(app, stripped, AppAuthKey.fromBytes(randomBytes(32)))])]) {
      writeFileSync(file, forged);
      refusedAsForged(await aliceSees());
    }
  });

  it('an encrypted file forged with only the public certificate is refused on open', async () => {
    // Encryption at rest on: an operator adds a key pair (tz keys add); the engine picks it up.
    const ca = await createCa({ commonName: 'apps-at-rest' });
    const store = await openKeyStore(sitePaths(a.site.dataDir).keys, { watch: false });
    const { thumbprint } = await store.addKey(ca.certPem, ca.keyPem);
    store.close();
    await eventually(async () => {
      await reloadWith(a, app, SCRIPT);
      return readFileSync(file).readUInt8(6) === 1;
    }, 'an encrypted app file');
    expect(await aliceSees()).toEqual({ rows: 1 });
    // The attacker reads only the certificate (public) from the key store.
    const publicKey = createPublicKey(readFileSync(join(sitePaths(a.site.dataDir).keys, `${thumbprint}.crt`), 'utf8'));
    const fake = buildDataModel({ tables: [{ name: 'Pay', fields: ['NAME', 'REGION', 'SALARY'], columns: [['Mallory'], ['EAST'], [1]] }], sectionAccess: null, variables: {} });
    const payload = Buffer.from(encodeDataModel(fake));
    for (const forged of [forgeEncrypted(app, payload, { thumbprint, publicKey }, 1), forgeEncrypted(app, payload, { thumbprint, publicKey }, 2), Buffer.concat([...encodeAppFile(app, payload, AppAuthKey.fromBytes(randomBytes(32)), { thumbprint, publicKey })])]) {
      writeFileSync(file, forged);
      refusedAsForged(await aliceSees());
    }
    // The load script lived in the forged file, so a reload cannot run it (refused, not guessed)...
    expect((await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`)).status).toBe(409);
    // ...until someone allowed to sets it again: an engine-written file is accepted again once reloaded.
    await reloadWith(a, app, SCRIPT);
    expect(await aliceSees()).toEqual({ rows: 1 });
  });
});
