import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, httpRequest, startSiteProcesses, WatchedChromium, type RunningSite } from '@trustzone/site-harness';
import { normalizeSerial } from '@trustzone/trust';
import { signInBrowser } from './test-support/browser-sign-in';
import { api, expectOk, portal, type Actor } from './test-support/site-fixture';

// Issue 22's site-administration pages of the console, in a real Chromium against a real site:
// the section-access preview in an app's detail (and later certificates, the audit chain, site
// status and the unsaved-rule preview). Each page shows what its /qrs call answers; the browser
// reports no CSP violation, script error or dialog.
const missing = chromiumMissing();
const SHOTS = process.env.TZ_UPDATE_SCREENSHOTS === '1'
  ? resolve(__dirname, '..', '..', '..', '..', 'docs', 'screenshots')
  : join(tmpdir(), `tz-screenshots-${process.pid}`);

let site: RunningSite;
let admin: Actor;
const chromium = new WatchedChromium();

const signIn = async (user: string): Promise<Page> => (await signInBrowser(site, admin.cert, chromium, user)).page;

const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

beforeAll(async () => {
  if (missing) return;
  site = await startSiteProcesses();
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  await chromium.launch();
}, 120_000);

afterAll(async () => {
  await chromium.close();
  await site?.stop();
});

afterEach(() => chromium.expectNoProblems(expect));

describe.skipIf(missing !== null)('console site administration in Chromium', { timeout: 90_000 }, () => {
  it('the section-access preview in an app\'s detail shows the engine\'s counts and hidden fields for a user and for a group', async () => {
    // Raw rows; the expected counts are computed from them here.
    const ORDERS: [string, string, number][] = [['EAST', 'A1', 3], ['EAST', 'A2', 4], ['WEST', 'B1', 8], ['NORTH', 'C1', 1], ['WEST', 'B2', 2], ['EAST', 'A3', 6]];
    const ACCESS: [string, string, string, string, string][] = [['ADMIN', 'INTERNAL\\SA_SCHEDULER', '*', '', ''], ['ADMIN', 'CORP\\ADMIN', '*', '', ''], ['USER', 'CORP\\CAROL', '*', 'EAST', 'QTY'], ['USER', '*', 'NORTHERNERS', 'NORTH', '']];
    const inline = (head: string, rows: readonly (readonly (string | number)[])[]) => `LOAD * INLINE [\n${head}\n${rows.map((r) => r.join(', ')).join('\n')}\n];`;
    const script = `Section Access;\n${inline('ACCESS, USERID, GROUP, REGION, OMIT', ACCESS)}\nSection Application;\nOrders:\n${inline('REGION, ORDERID, QTY', ORDERS)}\n`;
    const appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Regional Orders' }), 'app') as { id: string }).id;
    expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/script`, { script }), 'script');
    expectOk(await api(site, admin, 'POST', `/qrs/app/${appId}/reload`), 'reload');
    // Carol signs in once: her hub's first /qrs call records her as a user.
    await (await signIn('CORP\\carol')).getByRole('status').filter({ hasText: 'apps and' }).waitFor();

    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#apps`);
    await page.getByRole('button', { name: 'Regional Orders', exact: true }).click();
    const out = page.locator('.preview-out');
    const read = async () => ({
      decision: await out.locator('[data-field="decision"]').textContent(),
      hidden: await out.locator('[data-field="hidden"]').textContent(),
      rows: await out.locator('tbody tr').evaluateAll((rs) => rs.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent))),
    });
    await page.getByLabel('Preview user').fill('CORP\\carol');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await out.locator('[data-field="decision"], .error').first().waitFor();
    expect(await out.textContent()).toMatch(/^Granted/);
    const carolKept = ORDERS.filter((o) => o[0] === 'EAST').length;
    const carol = await read();
    expect(carol.decision).toMatch(/^Granted for CORP\\carol/);
    expect(carol.hidden).toBe('Hidden fields (OMIT): QTY');
    expect(carol.rows).toEqual([['Orders', String(carolKept), String(ORDERS.length), `${Math.round((100 * carolKept) / ORDERS.length)} %`]]);
    await shot(page, 'qmc-sa-preview');

    await page.getByLabel('Preview user').fill('');
    await page.getByLabel('or group').fill('NORTHERNERS');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await out.locator('[data-field="decision"]', { hasText: 'NORTHERNERS' }).waitFor();
    const north = await read();
    expect(north.rows[0]?.[1]).toBe(String(ORDERS.filter((o) => o[0] === 'NORTH').length));
    expect(north.hidden).toBe('Hidden fields (OMIT): none');

    await page.getByLabel('or group').fill('NOBODY');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await out.locator('[data-field="decision"]', { hasText: 'Denied' }).waitFor();
    expect(await out.locator('[data-field="decision"]').textContent()).toMatch(/NO_MATCHING_ROW/);
    // No value of the data reached the page.
    const text = await out.textContent();
    for (const v of ORDERS.map((o) => o[1])) expect(text).not.toContain(v);
  });

  it('certificates: the page lists what /qrs/sitecertificates answers, with days to expiry and fingerprints, expiring ones highlighted', async () => {
    const inv = expectOk(await api(site, admin, 'GET', '/qrs/sitecertificates'), 'inventory') as { certificates: { name: string; serial: string; fingerprint: string | null; daysLeft: number; current: boolean; kind: string; revoked: boolean; retireAt?: string }[] };
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#certificates`);
    await page.locator('table.certs tbody tr').first().waitFor();
    const inUse = inv.certificates.filter((c) => c.current || (c.kind === 'integration' && !c.revoked) || c.retireAt !== undefined);
    const rows = await page.locator('table.certs tbody tr').evaluateAll((rs) => rs.map((r) => ({ serial: r.getAttribute('data-id'), cls: r.className, cells: Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '') })));
    expect(rows.map((r) => r.serial)).toEqual(inUse.map((c) => c.serial));
    for (const [i, c] of inUse.entries()) {
      expect(rows[i]?.cells[6]?.startsWith(String(c.daysLeft))).toBe(true);
      expect(rows[i]?.cells[8]).toBe(c.fingerprint ?? '—');
      expect(rows[i]?.cls).toBe(c.revoked ? 'cert-revoked' : c.daysLeft < 0 ? 'cert-expired' : c.daysLeft < 30 ? 'cert-expiring' : 'cert-ok');
    }
    expect(await page.locator('table.certs').textContent()).not.toMatch(/PRIVATE KEY/);
    await shot(page, 'qmc-certificates');
  });

  it('site status: the repository and each engine, up, with versions and certificate expiry', async () => {
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#status`);
    await page.locator('table.status-table tbody tr[data-field="repository"]').waitFor();
    const s = expectOk(await api(site, admin, 'GET', '/qrs/sitestatus'), 'status') as { services: { service: string; address: string; status: string; version?: string }[] };
    const shown = await page.locator('table.status-table tbody tr').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-field'), r.getAttribute('data-id'), r.querySelectorAll('td')[2]?.textContent, r.querySelectorAll('td')[3]?.textContent]));
    expect(shown).toEqual(s.services.map((x) => [x.service, x.address, x.status === 'ok' ? 'up' : expect.stringMatching(/^down/), x.version ?? '—']));
    expect(shown.filter((r) => r[2] === 'up').length).toBe(s.services.length);
    await shot(page, 'qmc-site-status');
  });

  it('audit trail: "Verify chain" shows the chain check\'s result', async () => {
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#audit`);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.locator('.verify-out [data-field="verify"]');
    await result.waitFor();
    const direct = expectOk(await api(site, admin, 'POST', '/qrs/audit/verify', {}), 'verify') as { ok: boolean; checkpoints: number };
    expect(direct.ok).toBe(true);
    expect(await result.textContent()).toMatch(/^Chain OK: \d+ records \(seq 1…\d+\), \d+ signed checkpoints/);
    await shot(page, 'qmc-audit-verify');
  });

  it('rule editor: the explain and the audit matrix of the rule as edited, before saving, with the changed cells marked', async () => {
    await (await signIn('CORP\\dave')).getByRole('status').filter({ hasText: 'apps and' }).waitFor();
    const appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Dave target' }), 'app') as { id: string }).id;
    const ruleBody = { name: 'Preview me', resourceFilter: 'App_*', rule: 'resource.name = "nothing matches"', actions: 2, ruleContext: 0, disabled: false };
    const ruleId = (expectOk(await api(site, admin, 'POST', '/qrs/systemrule', ruleBody), 'rule') as { id: string }).id;
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#rules`);
    await page.getByRole('searchbox').fill('Preview me');
    await page.getByRole('button', { name: 'Preview me', exact: true }).click();
    const edited = 'resource.name = "Dave target" and user.userId = "dave"';
    await page.getByLabel('Condition', { exact: true }).fill(edited);
    await page.getByLabel('User', { exact: true }).fill('CORP\\dave');
    await page.getByLabel('Resource', { exact: true }).fill(`App_${appId}`);
    await page.getByLabel('Action', { exact: true }).fill('read');
    await page.getByRole('button', { name: 'Explain as edited' }).click();
    const out = page.locator('.rule-preview-out');
    await out.locator('[data-field="explain"]').waitFor();
    expect(await out.locator('[data-field="explain"]').textContent()).toBe('As edited: allow (saved rules: deny)');
    await page.getByLabel('User filter').fill("userId eq 'dave'");
    await page.getByRole('button', { name: 'Audit as edited' }).click();
    await out.locator('table.preview-matrix').waitFor();
    const audit = { resourceType: 'App', resourceFilter: '', userFilter: "userId eq 'dave'" };
    const p = expectOk(await api(site, admin, 'POST', '/qrs/systemrule/security/preview', { rule: { ...ruleBody, id: ruleId, rule: edited }, audit }), 'preview') as { audit: { users: { id: string }[]; resources: { id: string }[] } };
    const changed = await out.locator('td.changed').evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-id'), td.textContent]));
    expect(changed).toEqual([[`${p.audit.users[0]?.id}|${appId}`, 'read (+read)']]);
    expect(await out.locator('[data-field="audit"]').textContent()).toBe('1 cell(s) change against the saved rules.');
    await shot(page, 'qmc-rule-preview');
    // Nothing was saved.
    const stored = expectOk(await api(site, admin, 'GET', `/qrs/systemrule/${ruleId}`), 'rule') as { rule: string };
    expect(stored.rule).toBe(ruleBody.rule);
  });

  it('certificates: Revoke and Rotate ask for confirmation naming the certificate, show progress and the result, and a stale page is refused', async () => {
    const kiosk = await portal(site, 'kiosk');
    const kioskSerial = normalizeSerial(new X509Certificate(kiosk.cert).serialNumber);
    const ticketWith = async (cert: { cert: string; key: string }): Promise<number | string> => {
      try {
        return (await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert, body: { UserDirectory: 'CORP', UserId: 'kiosk-user', Attributes: [] } })).status;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code ?? String(e);
      }
    };
    expect(await ticketWith(kiosk)).toBe(201);
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/#certificates`);
    const dialog = page.getByRole('dialog');

    // Revoke: the dialog names the certificate and its serial; Cancel (focused first) changes nothing.
    await page.getByRole('button', { name: 'Revoke kiosk', exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain(`kiosk (serial ${kioskSerial})`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await ticketWith(kiosk)).toBe(201);
    await page.getByRole('button', { name: 'Revoke kiosk', exact: true }).click();
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.locator('.action-result.ok').waitFor();
    expect(await dialog.locator('.action-result').textContent()).toBe(`Revoked: kiosk (serial ${kioskSerial}).`);
    await shot(page, 'qmc-certificate-revoked');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The list reloads: the revoked certificate leaves the in-use view; the proxy API refuses it.
    await page.locator(`table.certs tbody tr[data-id="${kioskSerial}"]`).waitFor({ state: 'detached' });
    await expect.poll(() => ticketWith(kiosk), { timeout: 10_000, interval: 250 }).not.toBe(201);

    // Rotate the engine: the dialog names the current fingerprint; the result names the new serial.
    const engineFile = join(site.dataDir, 'certs', 'engine.pem');
    const before = new X509Certificate(readFileSync(engineFile));
    await page.getByRole('button', { name: 'Rotate engine', exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain(before.fingerprint256);
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    await dialog.locator('.action-result.ok').waitFor();
    const after = new X509Certificate(readFileSync(engineFile));
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    expect(await dialog.locator('.action-result').textContent()).toBe(`Rotated: engine now presents serial ${normalizeSerial(after.serialNumber)}.`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.locator('table.certs tbody tr', { hasText: after.fingerprint256 }).waitFor();

    // A stale page: the engine is rotated behind its back; its Rotate is refused, nothing changes.
    const current = new X509Certificate(readFileSync(engineFile)).fingerprint256;
    expectOk(await api(site, admin, 'POST', '/qrs/sitecertificates/rotate', { name: 'engine', fingerprint: current }), 'rotate behind the page');
    const rotatedBehind = new X509Certificate(readFileSync(engineFile)).fingerprint256;
    await page.getByRole('button', { name: 'Rotate engine', exact: true }).click();
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    await dialog.locator('.action-result.error').waitFor();
    expect(await dialog.locator('.action-result').textContent()).toMatch(/^Rotate refused: fingerprint: .*reload the list \(409 /);
    expect(new X509Certificate(readFileSync(engineFile)).fingerprint256).toBe(rotatedBehind);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
