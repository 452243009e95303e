import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, WatchedChromium } from '@trustzone/site-harness';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// The console's site-administration pages (issue 22) in a real Chromium: names an app author
// controls — table and field names from a load script, an app name, a rule name — reach the
// section-access preview and the unsaved-rule matrix as text, never as markup. Any CSP violation,
// page error or dialog the browser reports fails the test.
const missing = chromiumMissing();
let a: AttackSite;
const chromium = new WatchedChromium();

const XSS_TABLE = '<img src=x onerror=document.title=1>';
const XSS_FIELD = '<SVG ONLOAD=ALERT(1)>';
const XSS_APP = `<iframe src="javascript:document.title='pwned'">`;

async function adminPage() {
  const issued = ok<{ Ticket: string }>(await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'admin', Attributes: [] } }), 'ticket');
  const w = await chromium.context();
  return w.open(`${a.site.url}/hub/?qlikTicket=${issued.Ticket}`);
}

beforeAll(async () => {
  if (missing) return;
  a = await startAttackSite();
  await chromium.launch();
}, 180_000);

afterAll(async () => {
  await chromium.close();
  await a?.stop();
});

afterEach(() => chromium.expectNoProblems(expect));

describe.skipIf(missing !== null)('Tampering › console site administration pages', { timeout: 90_000 }, () => {
  it('stored XSS in the console\'s previews: table and field names from a load script, an app name and a rule name stay text', async () => {
    const app = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name: XSS_APP }), 'app');
    const script = `Section Access;\nLOAD * INLINE [\nACCESS, USERID, OMIT\nADMIN, INTERNAL\\SA_SCHEDULER,\nUSER, CORP\\ADMIN, ${XSS_FIELD}\n];\nSection Application;\n[${XSS_TABLE}]:\nLOAD RecNo() AS [${XSS_FIELD}], RecNo() AS N AUTOGENERATE 3;\n`;
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app.id}/script`, { script }), 'script');
    ok(await a.as(ADMIN, 'POST', `/qrs/app/${app.id}/reload`), 'reload');
    const page = await adminPage();
    await page.goto(`${a.site.url}/qmc/#apps`);
    await page.getByRole('button', { name: XSS_APP, exact: true }).click();
    await page.getByLabel('Preview user').fill('CORP\\admin');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const out = page.locator('.preview-out');
    await out.locator('tbody tr').first().waitFor();
    expect(await out.locator('tbody td').first().textContent()).toBe(XSS_TABLE);
    expect(await out.locator('[data-field="hidden"]').textContent()).toBe(`Hidden fields (OMIT): ${XSS_FIELD}`);

    // The unsaved-rule matrix shows the app's name as a column heading.
    ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: XSS_TABLE, resourceFilter: 'App_*', rule: 'user.name = "nobody"', actions: 2, ruleContext: 0 }), 'rule');
    await page.goto(`${a.site.url}/qmc/#rules`);
    await page.getByRole('searchbox').fill(XSS_TABLE);
    await page.getByRole('button', { name: XSS_TABLE, exact: true }).click();
    await page.getByLabel('Condition', { exact: true }).fill('user.userId = "admin"');
    await page.getByRole('button', { name: 'Audit as edited' }).click();
    await page.locator('table.preview-matrix').waitFor();
    expect(await page.locator('table.preview-matrix thead th', { hasText: XSS_APP }).count()).toBe(1);
    expect(await page.locator('#root img, #root svg, #root script, #root iframe').count()).toBe(0);
    expect(await page.title()).not.toMatch(/pwned|^1$/);
  });
});
