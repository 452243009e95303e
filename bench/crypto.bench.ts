/**
 * npm run bench:crypto — cost of encryption at rest and of the audit hash chain, each measured
 * against its plain counterpart in the same run.
 *
 * 1. App files: save (atomic write + fsync) and load of the 1,000,000-row Orders app (ORDERID,
 *    CUSTID, PRODID, AMOUNT) encrypted (AES-256-GCM, RSA-OAEP-wrapped data key) versus
 *    checksummed-only (SHA-256). Runs alternate between the modes so drift hits both equally. The
 *    summary measures the default configuration (TZ_AES_GCM=auto: the native in-place AES-GCM
 *    addon when it is built); node:crypto forced, what a machine without a C compiler gets, is
 *    measured in the same rounds and reported beside it.
 * 2. Audit log: records/s through openAuditLog (validation, redaction, hash chain, signed
 *    checkpoints every 1000, group commit + fdatasync) versus a baseline appender with the same
 *    validation, encoding and group-commit/fdatasync policy but no chain and no checkpoints.
 *
 * The machine this runs on is shared (other test suites, fsync latency that swings 5×), so each
 * round measures both variants back to back and the summary is the median of the per-round
 * ratios: a slow period then slows both halves of a pair instead of skewing one side.
 *
 * One file on purpose (the bench owns only this path); sections: payload, keys, app files, audit, report.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import forge from 'node-forge';
import { AppAuthKey, createAppStore, openKeyStore } from '@trustzone/app-store';
import type { AppStore } from '@trustzone/app-store';
import { buildDataModel, encodeDataModel } from '@trustzone/data-model';
import type { AuditEvent } from '@trustzone/logging';
import { openAuditLog, prepareAuditEvent, toJsonLine } from '@trustzone/logging';
import { median, writeResult } from './bench-util';

const ROWS = 1_000_000;
const APP_ROUNDS = 15;
const AUDIT_RECORDS = 20_000;
const AUDIT_CONCURRENCY = 64;
const AUDIT_ROUNDS = 9;

// ---------------------------------------------------------------- payload
let seed = 0x0dd5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * The one place the app payload comes from (swap it here): the real Orders app built and encoded
 * through @trustzone/data-model, 1M rows, 50,000 customers, 2,000 products, amounts in cents.
 */
function producePayload(): { bytes: Uint8Array; source: string } {
  const orderId: number[] = new Array(ROWS);
  const custId: number[] = new Array(ROWS);
  const prodId: number[] = new Array(ROWS);
  const amount: number[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    orderId[i] = i + 1;
    custId[i] = 1 + Math.floor(random() * 50_000);
    prodId[i] = 1 + Math.floor(random() * 2_000);
    amount[i] = Math.round(random() * 100_000) / 100;
  }
  const model = buildDataModel({ tables: [{ name: 'Orders', fields: ['ORDERID', 'CUSTID', 'PRODID', 'AMOUNT'], columns: [orderId, custId, prodId, amount] }], sectionAccess: null, variables: {} });
  return { bytes: encodeDataModel(model), source: '@trustzone/data-model buildDataModel + encodeDataModel (Orders: ORDERID, CUSTID, PRODID, AMOUNT)' };
}

// ---------------------------------------------------------------- keys
function certificate(commonName: string): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

// ---------------------------------------------------------------- app files
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** CPU ms (user + system, all threads) of each timed call, reported next to wall time. */
const cpuMs: Record<string, number[]> = {};
/** Minor page faults of each timed call: fresh memory, which on a VM can cost more than the crypto. */
const faults: Record<string, number[]> = {};

/** Each timed call starts from a collected heap, so one call's garbage is not billed to the next. */
async function timeMs(fn: () => Promise<unknown>, label = ''): Promise<number> {
  gc();
  const cpu = process.cpuUsage();
  const faultsBefore = process.resourceUsage().minorPageFault;
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  if (label) {
    (cpuMs[label] ??= []).push((used.user + used.system) / 1000);
    (faults[label] ??= []).push(process.resourceUsage().minorPageFault - faultsBefore);
  }
  return wall;
}

async function benchAppFiles(work: string, payload: Uint8Array) {
  const keyStore = await openKeyStore(join(work, 'keys'), { watch: false });
  const encryption = certificate('bench encryption');
  await keyStore.addKey(encryption.certPem, encryption.keyPem);
  // The default configuration (auto: the native AES-GCM addon when built), and node:crypto forced,
  // which is what a machine without a C compiler gets: reported beside the summary, not in it.
  const authKey = AppAuthKey.fromBytes(randomBytes(32));
  const encrypted = await createAppStore({ appsDir: join(work, 'apps-encrypted'), keyStore, authKey });
  const encryptedNode = await createAppStore({ appsDir: join(work, 'apps-encrypted-node'), keyStore, aesGcm: 'node', authKey });
  const plain = await createAppStore({ appsDir: join(work, 'apps-plain'), authKey });
  const times = { encSave: [] as number[], plainSave: [] as number[], encLoad: [] as number[], plainLoad: [] as number[], encNodeSave: [] as number[], encNodeLoad: [] as number[] };
  const check = async (store: AppStore) => {
    const loaded = (await store.load('orders')).payload;
    if (loaded.length !== payload.length) throw new Error('round trip lost bytes');
  };
  for (const store of [encrypted, encryptedNode, plain]) await store.save('orders', payload);
  for (const store of [encrypted, encryptedNode, plain]) await check(store);
  for (let round = 0; round < APP_ROUNDS; round++) {
    const order: Array<[string, AppStore, number[], number[]]> = [['enc', encrypted, times.encSave, times.encLoad], ['plain', plain, times.plainSave, times.plainLoad], ['encNode', encryptedNode, times.encNodeSave, times.encNodeLoad]];
    if (round % 2 === 1) order.reverse();
    for (const [name, store, save] of order) save.push(await timeMs(() => store.save('orders', payload), `${name}Save`));
    for (const [name, store, , load] of order) load.push(await timeMs(() => store.load('orders'), `${name}Load`));
  }
  keyStore.close();
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(median(v).toFixed(1))])) as Record<keyof typeof times, number>;
  const pairedRatio = (a: number[], b: number[]) => Number(median(a.map((x, i) => x / (b[i] as number))).toFixed(3));
  return {
    aes_gcm: encrypted.aesGcm,
    medians_ms: m,
    save_ratio: pairedRatio(times.encSave, times.plainSave),
    load_ratio: pairedRatio(times.encLoad, times.plainLoad),
    node_crypto_fallback_ratios: { save: pairedRatio(times.encNodeSave, times.plainSave), load: pairedRatio(times.encNodeLoad, times.plainLoad) },
    // Other views of the same samples, for judging how much of the spread is the shared machine.
    best_of_n_ratios: { save: Number((Math.min(...times.encSave) / Math.min(...times.plainSave)).toFixed(3)), load: Number((Math.min(...times.encLoad) / Math.min(...times.plainLoad)).toFixed(3)) },
    cpu_time_ratios: { save: pairedRatio(cpuMs['encSave'] ?? [], cpuMs['plainSave'] ?? []), load: pairedRatio(cpuMs['encLoad'] ?? [], cpuMs['plainLoad'] ?? []) },
    cpu_medians_ms: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, Number(median(v).toFixed(1))])),
    minor_page_faults_medians: Object.fromEntries(Object.entries(faults).map(([k, v]) => [k, median(v)])),
    samples_ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((x) => Number(x.toFixed(1)))])),
    info: await encrypted.inspect('orders'),
  };
}

// ---------------------------------------------------------------- audit
function auditEvent(i: number): AuditEvent {
  return {
    actor: i % 4 === 0 ? { service: 'proxy' } : { user: `CORP\\user${i % 1000}` },
    action: i % 3 === 0 ? 'app.open' : 'auth.login',
    target: { type: 'app', id: `c3a1b7de-0000-4000-8000-${String(i % 10_000).padStart(12, '0')}` },
    outcome: i % 10 === 0 ? 'denied' : 'success',
    details: { remoteAddress: '10.0.0.7', virtualProxy: 'default' },
  };
}

/** The same group-commit policy as the audit writer (one write + fdatasync per batch), minus the chain. */
function plainAppender(handle: FileHandle) {
  let queue: Array<{ line: string; resolve: () => void }> = [];
  let running: Promise<void> | null = null;
  let seq = 0;
  const drain = async () => {
    await new Promise<void>((r) => setImmediate(r));
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await handle.write(Buffer.from(`${batch.map((b) => b.line).join('\n')}\n`), 0, undefined, null);
      await handle.datasync();
      for (const b of batch) b.resolve();
    }
  };
  const schedule = (): void => {
    if (running) return;
    running = drain().finally(() => {
      running = null;
      // Appends queued after the drain loop's last check need a new drain (as in the audit writer).
      if (queue.length > 0) schedule();
    });
  };
  return (event: AuditEvent): Promise<void> => {
    const line = toJsonLine({ seq: ++seq, time: new Date().toISOString(), ...prepareAuditEvent(event) });
    return new Promise<void>((resolve) => {
      queue.push({ line, resolve });
      schedule();
    });
  };
}

async function drive(append: (e: AuditEvent) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: AUDIT_CONCURRENCY }, async () => {
    while (next < AUDIT_RECORDS) await append(auditEvent(next++));
  }));
  return AUDIT_RECORDS / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function benchAudit(work: string) {
  const signer = certificate('bench repository');
  const chained: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < AUDIT_ROUNDS; round++) {
    const runChained = async () => {
      const log = await openAuditLog({ dir: join(work, `audit-${round}`), signer, checkpointEvery: 1000 });
      chained.push(await drive((e) => log.append(e)));
      await log.close();
    };
    const runPlain = async () => {
      const handle = await open(join(work, `plain-${round}.jsonl`), 'a', 0o600);
      plain.push(await drive(plainAppender(handle)));
      await handle.close();
    };
    if (round % 2 === 0) await runChained().then(runPlain);
    else await runPlain().then(runChained);
  }
  return {
    chained_records_per_s: Math.round(median(chained)),
    plain_records_per_s: Math.round(median(plain)),
    ratio: Number(median(chained.map((c, i) => c / (plain[i] as number))).toFixed(3)),
    samples: { chained: chained.map(Math.round), plain: plain.map(Math.round) },
  };
}

// ---------------------------------------------------------------- report
async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tz-bench-crypto-'));
  const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
  try {
    const built = Date.now();
    const { bytes, source } = producePayload();
    console.log(`payload: ${(bytes.length / 1e6).toFixed(1)} MB from ${source} in ${Date.now() - built} ms`);
    const apps = await benchAppFiles(work, bytes);
    console.log(`AES-GCM: ${apps.aes_gcm.name}${apps.aes_gcm.reason ? ` (${apps.aes_gcm.reason})` : ''}`);
    console.log('app files (median ms):', apps.medians_ms, 'paired ratios: save', apps.save_ratio, 'load', apps.load_ratio, 'minor page faults:', apps.minor_page_faults_medians);
    console.log('node:crypto fallback (no native addon), paired ratios:', apps.node_crypto_fallback_ratios);
    const audit = await benchAudit(work);
    console.log('audit (records/s):', { chained: audit.chained_records_per_s, plain: audit.plain_records_per_s, pairedRatio: audit.ratio });
    writeResult('crypto', {
      encrypted_load_vs_plain_time_ratio: apps.load_ratio,
      encrypted_save_vs_plain_time_ratio: apps.save_ratio,
      audit_chain_vs_plain_throughput_ratio: audit.ratio,
    }, {
      app: { rows: ROWS, payload_bytes: bytes.length, payload_source: source, rounds: APP_ROUNDS, file_bytes_encrypted: apps.info.fileBytes, ...apps },
      audit: { records_per_run: AUDIT_RECORDS, concurrency: AUDIT_CONCURRENCY, checkpoint_every: 1000, rounds: AUDIT_ROUNDS, ...audit },
      fs: tmpdir(),
      // The machine is shared; its load average says how much to trust the absolute numbers.
      load_average_at_start: loadAtStart,
      load_average_at_end: loadavg().map((x) => Number(x.toFixed(2))),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
