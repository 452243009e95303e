
/**
 * A small browser for login tests: a cookie jar per host, redirects followed one by one, HTML
 * forms submitted as a browser would (urlencoded POST of the form's inputs plus what the user types).
 * `https://<proxyHost>/…` goes to the proxy under test (through `proxy`), anything else over the network.
 */
export interface Page {
  url: string;
  status: number;
  location: string | undefined;
  text: string;
  json: unknown;
}

/** One request to the proxy under test (door fixture or a running site). */
export type ProxyCall = (path: string, headers: Record<string, string>, method: string, body?: string) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: unknown }>;

export class TestBrowser {
  readonly cookies = new Map<string, Map<string, string>>();
  /** Every URL visited, in order. */
  readonly visited: string[] = [];

  constructor(
    private readonly proxyHost: string,
    private readonly proxy: ProxyCall,
  ) {}

  private jar(host: string): Map<string, string> {
    let j = this.cookies.get(host);
    if (!j) this.cookies.set(host, (j = new Map()));
    return j;
  }

  private store(host: string, setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.jar(host).delete(name);
      else this.jar(host).set(name, value);
    }
  }

  cookieHeader(host: string): string {
    return [...this.jar(host)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string, method = 'GET', form?: URLSearchParams, extra: Record<string, string> = {}): Promise<Page> {
    this.visited.push(url);
    const u = new URL(url);
    const cookie = this.cookieHeader(u.host);
    if (u.host === this.proxyHost) {
      const headers: Record<string, string> = { Host: u.host, Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...extra };
      const a = await this.proxy(`${u.pathname}${u.search}`, headers, method, form?.toString());
      const set = a.headers['set-cookie'];
      this.store(u.host, Array.isArray(set) ? set : set ? [set] : []);
      const location = a.headers['location'];
      return { url, status: a.status, location: typeof location === 'string' ? new URL(location, url).href : undefined, text: a.text, json: a.json };
    }
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...extra },
      ...(form ? { body: form.toString() } : {}),
    });
    this.store(u.host, res.headers.getSetCookie());
    const text = await res.text();
    const location = res.headers.get('location');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { url, status: res.status, location: location ? new URL(location, url).href : undefined, text, json };
  }

  /** GET `url` and follow redirects (at most 20) until a page that is not a redirect. */
  async follow(url: string, stopAt?: (next: string) => boolean): Promise<Page> {
    let page = await this.request(url);
    for (let i = 0; i < 20 && page.location && page.status >= 300 && page.status < 400; i++) {
      if (stopAt?.(page.location)) return page;
      page = await this.request(page.location);
    }
    return page;
  }

  /** Submits the page's form number `index` with its hidden inputs plus `fields`, then follows redirects. */
  async submit(page: Page, fields: Record<string, string> = {}, index = 0, stopAt?: (next: string) => boolean): Promise<Page> {
    const forms = [...page.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
    const form = forms[index];
    if (!form) throw new Error(`no form on ${page.url}: ${page.text.slice(0, 300)}`);
    const action = /action="([^"]*)"/i.exec(form[1] ?? '')?.[1] ?? page.url;
    const body = new URLSearchParams();
    for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const name = /name="([^"]*)"/i.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/i.exec(input[1] ?? '')?.[1] ?? '';
      if (name) body.set(name, value.replace(/&amp;/g, '&'));
    }
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    let next = await this.request(new URL(action.replace(/&amp;/g, '&'), page.url).href, 'POST', body);
    if (next.location && next.status >= 300 && next.status < 400 && !stopAt?.(next.location)) next = await this.follow(next.location, stopAt);
    return next;
  }
}
