import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ExpectStatic } from 'vitest';

/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser). CI installs the
 * package (.ci/run) and a missing browser fails there; elsewhere the browser suites are skipped
 * with a message that says why.
 */
export const CHROMIUM_PATH = process.env['TZ_CHROMIUM'] ?? '/usr/bin/chromium';

export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const why = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium): browser suite skipped`;
  if (process.env['CI']) throw new Error(`${why} — but CI must run it`);
  console.warn(why);
  return why;
}

export async function launchChromium(): Promise<Browser> {
  // Loaded here, not at the top: every other user of the harness need not load playwright.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'], headless: true, timeout: 30_000 });
}

/** What the browser reported that a page must never cause: CSP violations, script errors, console errors. */
export interface PageProblems {
  csp: string[];
  errors: string[];
  dialogs: string[];
}

/**
 * A browser context for one site: its TLS certificate accepted (a test CA the browser does not
 * know), and every page watched for CSP violations (the browser's own report, from a listener the
 * test installs before any page script runs), page errors and dialogs (an XSS `alert`).
 */
export async function watchedContext(browser: Browser): Promise<{ context: BrowserContext; problems: PageProblems; open(url: string): Promise<Page> }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const problems: PageProblems = { csp: [], errors: [], dialogs: [] };
  await context.exposeBinding('__tzCspViolation', (_src, text: string) => {
    problems.csp.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __tzCspViolation(t: string): void }).__tzCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const watch = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) problems.csp.push(m.text());
    });
    page.on('pageerror', (e) => problems.errors.push(e.message));
    page.on('dialog', (d) => {
      problems.dialogs.push(d.message());
      void d.dismiss();
    });
  };
  context.on('page', watch);
  return {
    context,
    problems,
    async open(url: string) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
      return page;
    },
  };
}

/**
 * One Chromium for a browser suite and the watched contexts its tests open. `expectNoProblems`
 * (from the suite's afterEach) fails the test on what any of those pages reported, then forgets
 * them. `expect` is passed in so that this harness never loads vitest for its other users.
 */
export class WatchedChromium {
  private browser: Browser | undefined;
  private readonly opened: PageProblems[] = [];

  /** `dialogs: false` for suites that open no author-controlled markup (they never checked dialogs). */
  constructor(private readonly checks: { dialogs: boolean } = { dialogs: true }) {}

  async launch(): Promise<void> {
    this.browser = await launchChromium();
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }

  /** A new watched context (see watchedContext), its problems checked at the end of the test. */
  async context(): ReturnType<typeof watchedContext> {
    if (!this.browser) throw new Error('WatchedChromium: launch() first');
    const w = await watchedContext(this.browser);
    this.opened.push(w.problems);
    return w;
  }

  expectNoProblems(expect: ExpectStatic): void {
    for (const p of this.opened.splice(0)) {
      expect(p.csp, 'CSP violations').toEqual([]);
      expect(p.errors, 'page errors').toEqual([]);
      if (this.checks.dialogs) expect(p.dialogs, 'dialogs').toEqual([]);
    }
  }
}
