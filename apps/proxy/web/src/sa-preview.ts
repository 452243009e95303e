import { button, field, h, replace } from './dom';
import { call, QrsError } from './qrs-client';

/** GET /qrs/app/{id}/sectionaccess/preview: counts and field names only (the engine sends no value). */
interface Preview {
  app: { id: string; name: string };
  subject: { kind: 'user'; userDirectory: string; userId: string; groups: string[] } | { kind: 'group'; group: string };
  loaded: boolean;
  securityTable?: boolean;
  decision?: 'granted' | 'denied';
  denied?: { code: string; reason: string };
  admin?: boolean;
  matchedRows?: number;
  hiddenFields?: string[];
  tables?: { name: string; rows: number; keptRows: number }[];
}

const refusal = (e: unknown): string => (e instanceof QrsError ? `${e.detail.field ? `${e.detail.field}: ` : ''}${e.detail.message} (${e.detail.status} ${e.detail.code})` : (e as Error).message);

/**
 * The section-access preview in an app's detail (issue 22, beyond Qlik): what a user, or a member
 * of a group, would see of this app — computed by the engine with the reduction real sessions use.
 * The server allows it to administrators only and audits every preview; this panel only shows the
 * answer (every value as text).
 */
export function sectionAccessPreviewPanel(appId: string): HTMLElement {
  const who = h('input', { type: 'text', name: 'previewUser', placeholder: 'DIRECTORY\\userid', autocomplete: 'off' });
  const group = h('input', { type: 'text', name: 'previewGroup', autocomplete: 'off' });
  const out = h('div', { class: 'preview-out', role: 'status', 'aria-live': 'polite' });
  const run = async (): Promise<void> => {
    const user = who.value.trim();
    const g = group.value.trim();
    let query: Record<string, string>;
    if (user !== '' && g !== '') return replace(out, h('p', { class: 'error', role: 'alert' }, 'Give a user or a group, not both.'));
    if (g !== '') query = { group: g };
    else {
      const sep = user.indexOf('\\');
      if (sep <= 0 || sep === user.length - 1) return replace(out, h('p', { class: 'error', role: 'alert' }, 'User must be DIRECTORY\\userid (or give a group).'));
      query = { userDirectory: user.slice(0, sep), userId: user.slice(sep + 1) };
    }
    replace(out, 'Computing…');
    out.setAttribute('aria-busy', 'true');
    try {
      render(out, await call<Preview>('GET', `/qrs/app/${appId}/sectionaccess/preview`, undefined, query));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, `Preview refused: ${refusal(e)}`));
    } finally {
      out.removeAttribute('aria-busy');
    }
  };
  return h('section', { class: 'panel', 'aria-label': 'Section access preview' },
    h('h3', {}, 'Section access preview'),
    h('p', { class: 'hint' }, 'What a user (or a member of a group) would see of this app, computed by the engine with the same reduction as their own sessions. Counts and field names only; every preview is recorded in the audit trail.'),
    h('div', { class: 'toolbar' }, field('Preview user', who), field('or group', group)),
    button('Preview', () => void run()),
    out);
}

function render(out: HTMLElement, p: Preview): void {
  const subject = p.subject.kind === 'user' ? `${p.subject.userDirectory}\\${p.subject.userId}${p.subject.groups.length ? ` (groups: ${p.subject.groups.join(', ')})` : ''}` : `a member of group ${p.subject.group}`;
  if (!p.loaded) return replace(out, h('p', { 'data-field': 'decision' }, `${p.app.name}: never reloaded — no data to reduce yet.`));
  const decision = p.decision === 'denied'
    ? h('p', { class: 'bad', 'data-field': 'decision' }, `Denied for ${subject}: ${p.denied?.code ?? ''} — ${p.denied?.reason ?? ''}`)
    : h('p', { class: 'ok', 'data-field': 'decision' }, `Granted for ${subject}${p.securityTable ? (p.admin ? ' (ADMIN row: every row)' : '') : ' (the app has no section access: every row)'}`);
  const hidden = h('p', { 'data-field': 'hidden' }, `Hidden fields (OMIT): ${(p.hiddenFields ?? []).length ? (p.hiddenFields ?? []).join(', ') : 'none'}`);
  const matched = p.securityTable ? h('p', { class: 'meta' }, `Rows of the security table that apply: ${p.matchedRows ?? 0}`) : null;
  const table = h('table', { class: 'list preview' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Table'), h('th', { scope: 'col' }, 'Rows kept'), h('th', { scope: 'col' }, 'Rows'), h('th', { scope: 'col' }, 'Kept'))),
    h('tbody', {}, ...(p.tables ?? []).map((t) => h('tr', { 'data-id': t.name },
      h('td', {}, t.name), h('td', {}, String(t.keptRows)), h('td', {}, String(t.rows)), h('td', {}, t.rows === 0 ? '—' : `${Math.round((100 * t.keptRows) / t.rows)} %`)))));
  replace(out, decision, hidden, matched, table);
}
