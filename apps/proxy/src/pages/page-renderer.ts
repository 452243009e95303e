import { escapeHtml, safeHref } from './html-escape';
import { PAGE_STYLE } from './page-style';

/**
 * The proxy's own HTML pages (login needed, logged out, error). Every interpolated value goes through
 * escapeHtml; link targets additionally through safeHref. There is no script, and the inline style is
 * pinned by hash in PAGE_CSP, so even a missed escape could not execute anything.
 */
export type PageInput =
  | { kind: 'login-needed'; loginUrl?: string; virtualProxy?: string; message?: string }
  | { kind: 'logged-out'; loginUrl?: string; message?: string }
  | { kind: 'error'; status: number; message: string; reference?: string };

export interface RenderedPage {
  status: number;
  contentType: 'text/html; charset=utf-8';
  html: string;
}

const MAX_TEXT = 500;

function text(value: string): string {
  return escapeHtml(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
}

function link(url: string | undefined, label: string): string {
  const href = url === undefined ? null : safeHref(url);
  return href === null ? '' : `<p><a href="${escapeHtml(href)}">${text(label)}</a></p>`;
}

function layout(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${text(title)}</title><style>${PAGE_STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
}

export function renderPage(input: PageInput): RenderedPage {
  const page = (status: number, html: string): RenderedPage => ({ status, contentType: 'text/html; charset=utf-8', html });
  switch (input.kind) {
    case 'login-needed': {
      const where = input.virtualProxy ? ` to ${input.virtualProxy}` : '';
      return page(401, layout('Sign in required', `<h1>${text(`Sign in required${where}`)}</h1><p>${text(input.message ?? 'Your session has ended or you have not signed in yet.')}</p>${link(input.loginUrl, 'Sign in')}`));
    }
    case 'logged-out':
      return page(200, layout('Signed out', `<h1>Signed out</h1><p>${text(input.message ?? 'You have been signed out.')}</p>${link(input.loginUrl, 'Sign in again')}`));
    case 'error': {
      const status = Number.isInteger(input.status) && input.status >= 400 && input.status <= 599 ? input.status : 500;
      const ref = input.reference ? `<p class="ref">${text(`Reference: ${input.reference}`)}</p>` : '';
      return page(status, layout(`Error ${status}`, `<h1>${text(`Error ${status}`)}</h1><p>${text(input.message)}</p>${ref}`));
    }
  }
}
