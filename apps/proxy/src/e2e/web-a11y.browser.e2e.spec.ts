import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, startSiteProcesses, WatchedChromium, type RunningSite } from '@trustzone/site-harness';
import { signInBrowser } from './test-support/browser-sign-in';
import { qixAs } from './test-support/qix-rpc';
import { api, expectOk, portal, seedContent, type Actor } from './test-support/site-fixture';

// Issue 22 "accessible and usable", in Debian's Chromium against a real site: the hub and the
// console work with the keyboard alone (Tab reaches the app list, Enter opens an app, the filter
// pane selects with the keyboard, focus is visible), every form control has an accessible name
// (the browser's accessibility tree, as playwright's aria snapshot reads it), and at a 375-px-wide
// viewport no page scrolls sideways.
const missing = chromiumMissing();
let site: RunningSite;
let admin: Actor;
let appId = '';
// These pages never checked for dialogs (no author-controlled markup here: web-pages.spec.ts does).
const chromium = new WatchedChromium({ dialogs: false });

async function signIn(user: string, width = 1280): Promise<Page> {
  const { page } = await signInBrowser(site, admin.cert, chromium, user);
  await page.setViewportSize({ width, height: 800 });
  return page;
}

/** Tabs until `done` holds for the focused element; the names of what got focus on the way. */
async function tabUntil(page: Page, done: (el: Element) => boolean, max = 60): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(`(${done.toString()})(document.activeElement)`);
    seen.push(await page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()} ${(document.activeElement?.textContent ?? '').trim().slice(0, 30)}`));
    if (hit) return seen;
  }
  throw new Error(`not reached in ${max} tabs: ${seen.join(' | ')}`);
}

/** The focused element draws a visible focus indicator (an outline or box shadow of some width). */
const focusVisible = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement;
  const s = getComputedStyle(el);
  return el.matches(':focus-visible') && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
});

/** Form controls in the accessibility tree without an accessible name (aria snapshot lines). */
async function unnamedControls(page: Page, selector: string): Promise<string[]> {
  const yaml = await page.locator(selector).first().ariaSnapshot();
  return yaml.split('\n').filter((l) => /^\s*- (textbox|searchbox|combobox|checkbox|spinbutton|button|link|radio|tab)(\s*$|:|\s+\[)/.test(l));
}

/** Whether the document scrolls sideways at the current viewport. */
const overflowX = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));

beforeAll(async () => {
  if (missing) return;
  site = await startSiteProcesses();
  await chromium.launch();
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  const seeded = await seedContent(site, admin);
  appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Keyboard Sales' }), 'app') as { id: string }).id;
  const script = 'Sales:\nLOAD * INLINE [\nREGION, PRODUCT, AMOUNT\nEAST, Apples, 10\nWEST, Pears, 7\nNORTH, Plums, 3\n];\n';
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/script`, { script }), 'script');
  expectOk(await api(site, admin, 'POST', `/qrs/app/${appId}/reload`), 'reload');
  const page = await signIn(admin.as);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const qix = await qixAs(site, { appId, origin: site.url, cookie });
  try {
    const doc = ((await qix.call(-1, 'OpenDoc', [appId]))['qReturn'] as { qHandle: number }).qHandle;
    const cube = { qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }], qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' } }], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 50 }] };
    await qix.call(doc, 'CreateObject', [{ qInfo: { qId: 'kb-table', qType: 'table' }, visualization: 'table', title: 'Amount by region', qHyperCubeDef: cube }]);
    await qix.call(doc, 'CreateObject', [{ qInfo: { qId: 'kb-bar', qType: 'barchart' }, visualization: 'barchart', title: 'Amount by region', qHyperCubeDef: cube }]);
    await qix.call(doc, 'CreateObject', [{ qInfo: { qId: 'kb-sheet', qType: 'sheet' }, qMetaDef: { title: 'Keyboard sheet' }, cells: [{ name: 'kb-table' }, { name: 'kb-bar' }] }]);
    await qix.call(doc, 'DoSave', ['']);
  } finally {
    qix.close();
  }
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/publish?stream=${seeded.everyoneStream}`), 'publish');
  await page.context().close();
}, 180_000);

afterAll(async () => {
  await chromium.close();
  await site?.stop();
});

afterEach(() => chromium.expectNoProblems(expect));

describe.skipIf(missing !== null)('the hub and the console: keyboard, labels, narrow screens', { timeout: 90_000 }, () => {
  it('the hub by keyboard alone: Tab reaches the app list, Enter opens an app, its sheet and its filter pane, focus always visible', async () => {
    const page = await signIn('CORP\\bob');
    await page.locator('li.card').first().waitFor();
    const path = await tabUntil(page, (el) => el.closest('li.card') !== null && el.tagName === 'A' && (el.textContent ?? '') === 'Keyboard Sales');
    expect(await focusVisible(page)).toBe(true);
    // The search box comes before the list.
    expect(path.some((p) => p.startsWith('input'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/hub/#app/${appId}`);
    await page.getByRole('heading', { name: 'Keyboard Sales' }).waitFor();
    await tabUntil(page, (el) => el.tagName === 'BUTTON' && el.textContent === 'Keyboard sheet');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('.chart[data-id="kb-table"] [rowindex]').first().waitFor();
    // The filter pane: a value selected with Enter, the charts follow.
    await tabUntil(page, (el) => el.tagName === 'BUTTON' && el.closest('.listbox[data-field="REGION"]') !== null && el.textContent === 'WEST');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.listbox[data-field="REGION"] button', { hasText: 'WEST' }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => page.locator('.chart[data-id="kb-table"] [rowindex][columnindex="0"]').allTextContents(), { timeout: 10_000 }).toEqual(['WEST']);
    // Every control we draw has a name (nebula's own controls are Qlik's; ours are the nav and the pane).
    expect(await unnamedControls(page, '#main nav')).toEqual([]);
    expect(await unnamedControls(page, '#main aside')).toEqual([]);
  });

  it('the console by keyboard alone: Tab reaches the sections, Enter opens one, its form controls are labelled, focus visible', async () => {
    const page = await signIn(admin.as);
    await page.goto(`${site.url}/qmc/`);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await tabUntil(page, (el) => el.tagName === 'A' && el.textContent === 'Security rules');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Security rules' }).waitFor();
    await tabUntil(page, (el) => el.tagName === 'BUTTON' && (el.textContent ?? '').startsWith('New'));
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByLabel('Condition', { exact: true }).waitFor();
    expect(await unnamedControls(page, '#main')).toEqual([]);
    expect(await unnamedControls(page, 'header')).toEqual([]);
  });

  it('at 375 px wide nothing scrolls sideways: the hub, an opened app, the console\'s lists and forms', async () => {
    const page = await signIn(admin.as, 375);
    await page.locator('li.card').first().waitFor();
    const pages: [string, () => Promise<unknown>][] = [
      ['hub', async () => undefined],
      ['app', async () => {
        await page.goto(`${site.url}/hub/#app/${appId}`);
        await page.getByRole('button', { name: 'Keyboard sheet' }).click();
        await page.locator('.chart[data-id="kb-table"] [rowindex]').first().waitFor();
      }],
      ...['users', 'apps', 'rules', 'virtualproxies', 'audit'].map((s): [string, () => Promise<unknown>] => [`qmc #${s}`, async () => {
        await page.goto(`${site.url}/qmc/#${s}`);
        await page.locator('#main h2').first().waitFor();
        await page.waitForLoadState('networkidle');
      }]),
      ['qmc rule form', async () => {
        await page.goto(`${site.url}/qmc/#rules`);
        await page.getByRole('button', { name: /^New/ }).click();
        await page.getByLabel('Condition', { exact: true }).waitFor();
      }],
    ];
    const wide: string[] = [];
    for (const [name, open] of pages) {
      await open();
      const o = await overflowX(page);
      if (o.scroll > o.viewport) wide.push(`${name}: ${o.scroll} px > ${o.viewport} px`);
    }
    expect(wide).toEqual([]);
  });
});
