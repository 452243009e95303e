import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { redirect, sendHtml } from '../edge/http-send';
import { webAsset } from './web-assets';
import { renderWebPage, type WebPageName } from './web-page';

/**
 * `/[prefix/]hub/` and `/[prefix/]qmc/` as pages, and their assets under `…/assets/<name>`. Only
 * GET and HEAD: the pages change nothing themselves, every change is a `/qrs` call with an xrfkey,
 * rule-checked as the session's user. The pages are behind the virtual proxy's login like every
 * other path (the pipeline has identified the session before this runs).
 */
export function serveWebPage(req: IncomingMessage, res: ServerResponse, page: WebPageName, segs: readonly string[], path: string, base: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new EdgeError(EdgeErrorCode.InvalidRequest, 'use GET');
  // One address per page (its hash names the section).
  if (segs.length === 1 && !path.endsWith('/')) {
    redirect(res, 302, `${path}/`);
    return;
  }
  if (segs.length === 1) {
    const { html, csp } = renderWebPage(page, base);
    sendHtml(res, 200, html, { 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
    return;
  }
  if (segs.length === 3 && segs[1] === 'assets') {
    const asset = webAsset(segs[2] as string);
    if (!asset) throw new ServiceError(ErrorCode.NotFound, 'not found');
    res.statusCode = req.headers['if-none-match'] === asset.etag ? 304 : 200;
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('ETag', asset.etag);
    // Behind the login: private, and revalidated so a new build is picked up at once.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    if (res.statusCode === 304 || req.method === 'HEAD') {
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped : asset.body;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return;
  }
  throw new ServiceError(ErrorCode.NotFound, 'not found');
}

/**
 * A browser navigating to the hub gets the page; every other client (curl, scripts, the tests'
 * request helpers, Qlik-style integrations reading who they are) keeps the JSON answer. A
 * navigation is what Fetch Metadata says it is: `Sec-Fetch-Dest: document`, asking for HTML.
 */
export function isPageNavigation(req: IncomingMessage): boolean {
  return req.headers['sec-fetch-dest'] === 'document' && /\btext\/html\b/.test(req.headers.accept ?? '');
}
