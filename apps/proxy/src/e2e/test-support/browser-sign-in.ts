import type { WatchedChromium } from '@trustzone/site-harness';
import { httpRequest, type RunningSite } from '@trustzone/site-harness';
import { expectOk, type Actor } from './site-fixture';

/**
 * A browser session for `user` ("DIR\\id") in a new watched context: a ticket from the proxy API
 * (asked with `portal`'s certificate), redeemed by the browser at /hub/.
 */
export async function signInBrowser(site: RunningSite, portal: Actor['cert'], chromium: WatchedChromium, user: string) {
  const [dir, id] = user.split('\\') as [string, string];
  const issued = await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert: portal, body: { UserDirectory: dir, UserId: id, Attributes: [] } });
  const ticket = (expectOk(issued, 'ticket') as { Ticket: string }).Ticket;
  const w = await chromium.context();
  const page = await w.open(`${site.url}/hub/?qlikTicket=${ticket}`);
  return { page, context: w.context, problems: w.problems };
}
