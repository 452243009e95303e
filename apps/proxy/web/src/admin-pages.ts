import { append, button, h, replace } from './dom';
import { call, QrsError } from './qrs-client';

/**
 * The console's site administration pages (issue 22): certificates, site status, and the audit
 * chain check. Each is one `/qrs` call the repository's rules gate (admin roles only); the page shows
 * the answer, every value as text, and a refusal as the server worded it.
 */
const refusal = (e: unknown): string => (e instanceof QrsError ? `${e.detail.message} (${e.detail.status} ${e.detail.code})` : (e as Error).message);
const failed = (out: HTMLElement, what: string, e: unknown) => replace(out, h('p', { class: 'error', role: 'alert' }, `${what} refused: ${refusal(e)}`));

/** Days left under which a certificate is highlighted (the CLI warns at the same horizon). */
const WARN_DAYS = 30;

interface Cert { name: string; kind: string; subject: string | null; identity: string | null; serial: string; fingerprint: string | null; notBefore: string; notAfter: string; daysLeft: number; revoked: boolean; current: boolean; retireAt?: string; warning?: string }
interface Inventory { siteName: string; siteId: string; crlNextUpdate: string | null; crlWarning?: string; layoutWarning?: string; certificates: Cert[] }

function expiryClass(c: Pick<Cert, 'daysLeft' | 'revoked'>): string {
  if (c.revoked) return 'cert-revoked';
  if (c.daysLeft < 0) return 'cert-expired';
  return c.daysLeft < WARN_DAYS ? 'cert-expiring' : 'cert-ok';
}

export function certificatesPage(main: HTMLElement): void {
  const all = h('input', { type: 'checkbox', name: 'showAll' });
  const out = h('div', { role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const render = (inv: Inventory): void => {
    // In use: the current files, handed-out integration certificates, replaced ones in their grace period.
    const shown = all.checked ? inv.certificates : inv.certificates.filter((c) => c.current || (c.kind === 'integration' && !c.revoked) || c.retireAt !== undefined);
    const cols = ['Name', 'Kind', 'Subject', 'Serial', 'Not before', 'Not after', 'Days left', 'Revoked', 'SHA-256 fingerprint', 'Action'];
    replace(out,
      h('p', {}, `Site ${inv.siteName} (${inv.siteId}); CRL valid until ${inv.crlNextUpdate ?? 'unknown'}`),
      inv.crlWarning ? h('p', { class: 'bad', role: 'alert' }, inv.crlWarning) : null,
      inv.layoutWarning ? h('p', { class: 'bad', role: 'alert' }, inv.layoutWarning) : null,
      h('table', { class: 'list certs' },
        h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...shown.map((c) => h('tr', { class: expiryClass(c), 'data-id': c.serial, 'data-field': c.name },
          h('td', {}, c.current ? c.name : `${c.name} (${c.retireAt ? 'replaced' : c.kind === 'integration' ? 'exported' : 'rotated out'})`),
          h('td', {}, c.kind), h('td', {}, c.subject ?? '—'), h('td', {}, h('code', {}, c.serial)),
          h('td', {}, c.notBefore.slice(0, 10)), h('td', {}, c.notAfter.slice(0, 10)),
          h('td', { class: 'days' }, String(c.daysLeft), c.warning ? h('span', { class: 'warning' }, ` — ${c.warning}`) : null),
          h('td', {}, c.revoked ? 'yes' : c.retireAt ? `at ${c.retireAt}` : 'no'),
          h('td', {}, h('code', {}, c.fingerprint ?? '—')),
          h('td', {}, actionButton(c, load)))))),
      h('p', { class: 'hint' }, `Highlighted: expired, revoked, or fewer than ${WARN_DAYS} days left. Rotate gives a service a new key and certificate (the old one is revoked after 10 s); Revoke puts an exported integration certificate on the CRL. Both need RootAdmin. The CLI's and the client-facing certificates, new integration certificates and the CRL refresh stay with the operator CLI (tz certs rotate cli|client-facing, tz certs export, tz certs refresh-crl).`));
  };
  let inv: Inventory | undefined;
  all.addEventListener('change', () => inv && render(inv));
  replace(main, h('h2', {}, 'Certificates'), h('div', { class: 'toolbar' }, h('label', {}, all, ' Show rotated-out and revoked certificates too')), out);
  const load = (): void => {
    void call<Inventory>('GET', '/qrs/sitecertificates').then((x) => {
      inv = x;
      render(x);
    }, (e: unknown) => failed(out, 'Certificates', e));
  };
  load();
}

const ROTATABLE = new Set(['proxy', 'repository', 'engine']);

/**
 * Rotate for a service certificate in use, Revoke for a live exported integration certificate. The
 * request carries what this row shows (fingerprint / serial + name): if the page is stale the
 * repository refuses it (409) rather than act on a certificate the admin did not see.
 */
function actionButton(c: Cert, reload: () => void): HTMLButtonElement | null {
  if (c.kind === 'service' && c.current && c.fingerprint && ROTATABLE.has(c.name)) {
    const body = { name: c.name, fingerprint: c.fingerprint };
    return button('Rotate', () => confirmAction(`Rotate the ${c.name} certificate`,
      `The ${c.name} service gets a new key and certificate now and keeps serving; the certificate with serial ${c.serial} (SHA-256 ${c.fingerprint ?? ''}) is revoked after the grace period (10 s).`,
      'Rotate', () => call<{ rotated: { serial: string } }>('POST', '/qrs/sitecertificates/rotate', body).then((r) => `Rotated: ${c.name} now presents serial ${r.rotated.serial}.`), reload), { 'aria-label': `Rotate ${c.name}` });
  }
  if (c.kind === 'integration' && !c.current && !c.revoked) {
    const body = { serial: c.serial, name: c.name };
    return button('Revoke', () => confirmAction(`Revoke the integration certificate ${c.name}`,
      `The certificate ${c.name} (serial ${c.serial}) goes on the site CRL: every integration using it is refused within seconds. This cannot be undone; export a new one with tz certs export.`,
      'Revoke', () => call<{ revoked: { serial: string } }>('POST', '/qrs/sitecertificates/revoke', body).then((r) => `Revoked: ${c.name} (serial ${r.revoked.serial}).`), reload), { 'aria-label': `Revoke ${c.name}`, class: 'danger' });
  }
  return null;
}

/** A modal confirmation naming the certificate, then the progress and the server's answer in place. */
function confirmAction(title: string, text: string, confirmLabel: string, run: () => Promise<string>, reload: () => void): void {
  const result = h('p', { class: 'action-result', role: 'status', 'aria-live': 'polite' });
  const actions = h('div', { class: 'toolbar' });
  const dlg = h('dialog', { class: 'confirm', 'aria-label': title }, h('h3', {}, title), h('p', {}, text), result, actions);
  const close = (): void => dlg.close();
  const cancel = button('Cancel', close);
  const go = button(confirmLabel, () => {
    go.disabled = true;
    cancel.disabled = true;
    dlg.setAttribute('aria-busy', 'true');
    replace(result, `${confirmLabel}: working…`);
    run().then((done) => {
      result.className = 'action-result ok';
      replace(result, done);
      replace(actions, button('Close', close));
      reload();
    }, (e: unknown) => {
      result.className = 'action-result error';
      replace(result, `${confirmLabel} refused: ${refusal(e)}`);
      replace(actions, button('Close', close));
    }).finally(() => dlg.removeAttribute('aria-busy'));
  }, { class: 'danger' });
  append(actions, [go, cancel]);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  cancel.focus(); // the safe choice has the focus: Enter alone does not rotate or revoke
}

interface ServiceStatus { service: string; address: string; status: string; version?: string; certificateSerial?: string; certificateNotAfter?: string; checks?: Record<string, string>; inRotation?: boolean; error?: string }
interface SiteStatus { checkedAt: string; services: ServiceStatus[]; certificates: Inventory }

export function siteStatusPage(main: HTMLElement): void {
  const out = h('div', { role: 'status', 'aria-live': 'polite' }, 'Checking…');
  const load = (): void => {
    replace(out, 'Checking…');
    void call<SiteStatus>('GET', '/qrs/sitestatus').then((s) => {
      const days = (iso: string | undefined) => (iso ? Math.floor((Date.parse(iso) - Date.now()) / 86_400_000) : undefined);
      replace(out,
        h('p', { class: 'meta' }, `Checked at ${s.checkedAt}`),
        h('table', { class: 'list status-table' },
          h('thead', {}, h('tr', {}, ...['Service', 'Address', 'Status', 'Version', 'Certificate expires', 'Checks'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...s.services.map((x) => {
            const d = days(x.certificateNotAfter);
            return h('tr', { class: x.status === 'ok' ? 'svc-up' : 'svc-down', 'data-field': x.service, 'data-id': x.address },
              h('td', {}, x.service), h('td', {}, x.address),
              h('td', { class: x.status === 'ok' ? 'ok' : 'bad' }, x.status === 'ok' ? 'up' : `down (${x.error ?? x.status})`, x.inRotation === false ? ' — out of rotation' : null),
              h('td', {}, x.version ?? '—'),
              h('td', { class: d === undefined ? '' : expiryClass({ daysLeft: d, revoked: false }) }, x.certificateNotAfter ? `${x.certificateNotAfter.slice(0, 10)} (${d} days)` : '—'),
              h('td', {}, Object.entries(x.checks ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ')));
          }))));
    }, (e: unknown) => failed(out, 'Site status', e));
  };
  replace(main, h('h2', {}, 'Site status'), h('div', { class: 'toolbar' }, button('Refresh', load)), out);
  load();
}

type Verify = { ok: true; records: number; checkpoints: number; firstSeq: number; lastSeq: number; unsignedTail: number; retainedFrom?: number; durationMs: number }
  | { ok: false; seq: number; file: string; line: number; problem: string; detail: string; records: number; checkpoints: number; durationMs: number };

/** "Verify chain" in the audit trail: `POST /qrs/audit/verify`, the check `tz audit verify` runs. */
export function auditVerifyPanel(): HTMLElement {
  const out = h('div', { class: 'verify-out', role: 'status', 'aria-live': 'polite' });
  const go = h('button', { type: 'button' }, 'Verify chain');
  go.addEventListener('click', () => {
    go.disabled = true;
    out.setAttribute('aria-busy', 'true');
    const started = Date.now();
    replace(out, 'Verifying the hash chain and the signed checkpoints… (every record is read)');
    const tick = setInterval(() => replace(out, `Verifying the hash chain and the signed checkpoints… ${Math.round((Date.now() - started) / 1000)} s`), 1000);
    void call<Verify>('POST', '/qrs/audit/verify', {}).then((r) => {
      replace(out, r.ok
        ? h('p', { class: 'ok', 'data-field': 'verify' }, `Chain OK: ${r.records} records (seq ${r.firstSeq}…${r.lastSeq}), ${r.checkpoints} signed checkpoints${r.unsignedTail ? `, ${r.unsignedTail} records after the last checkpoint` : ''}${r.retainedFrom ? `; records before seq ${r.retainedFrom} dropped by retention` : ''}.`)
        : h('p', { class: 'bad', role: 'alert', 'data-field': 'verify' }, `Chain BROKEN at record ${r.seq} (${r.file}, line ${r.line}): ${r.problem} — ${r.detail}. Verified before it: ${r.records} records, ${r.checkpoints} checkpoints.`));
    }, (e: unknown) => failed(out, 'Verification', e)).finally(() => {
      clearInterval(tick);
      go.disabled = false;
      out.removeAttribute('aria-busy');
    });
  });
  return h('section', { class: 'panel', 'aria-label': 'Audit chain' }, h('h3', {}, 'Chain integrity'), go, out);
}

/** Console sections that are pages of their own rather than an entity list. */
export const ADMIN_PAGES: Record<string, { title: string; show: (main: HTMLElement) => void }> = {
  certificates: { title: 'Certificates', show: certificatesPage },
  status: { title: 'Site status', show: siteStatusPage },
};
