import { button, h, replace } from './dom';
import { qrs, QrsError } from './qrs-client';

/**
 * The rule editor's explain and audit matrix for the rule **as edited**, before it is saved:
 * `POST /qrs/systemrule/security/preview` evaluates the form's current text in place of the stored
 * rule (nothing is stored) and answers both the candidate's and the saved rules' results, so the
 * page shows what the edit changes. It reads the editor's own fields and the explain and audit
 * panels' inputs; every value is shown as text.
 */
interface Explain { decision?: { kind?: string }; text?: string }
interface Matrix {
  users: { id: string; userDirectory: string; userId: string }[];
  resources: { id: string; name: string }[];
  rules: Record<string, string>;
  cells: { userId: string; resourceId: string; granted: { action: string; grantedBy: string[] }[] }[];
}
interface Preview { explain?: Explain; explainSaved?: Explain; audit?: Matrix; auditSaved?: Matrix }

const refusal = (e: unknown): string => (e instanceof QrsError ? `${e.detail.field ? `${e.detail.field}: ` : ''}${e.detail.message} (${e.detail.status})` : (e as Error).message);

function value(root: ParentNode, selector: string): string {
  const el = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
  return el ? el.value : '';
}

function grants(m: Matrix | undefined, u: string, r: string): string[] {
  return (m?.cells.find((c) => c.userId === u && c.resourceId === r)?.granted ?? []).map((g) => g.action).sort();
}

export function unsavedRulePanel(ruleId: string | undefined, editor: HTMLElement): HTMLElement {
  const out = h('div', { class: 'rule-preview-out', role: 'status', 'aria-live': 'polite' });
  const run = async (withExplain: boolean, withAudit: boolean): Promise<void> => {
    const form = editor.querySelector('form.entity-form') as HTMLFormElement;
    const disabled = form.querySelector<HTMLInputElement>('input[name="disabled"]')?.checked ?? false;
    const rule = {
      ...(ruleId ? { id: ruleId } : {}),
      name: value(form, '[name="name"]'),
      resourceFilter: value(form, '[name="resourceFilter"]'),
      rule: value(form, '[name="rule"]'),
      actions: Number(value(form, '[name="actions"]') || '0'),
      ruleContext: Number(value(form, '[name="ruleContext"]') || '0'),
      disabled,
    };
    const ex = editor.querySelector('section[aria-label="Explain"]') as HTMLElement;
    const au = editor.querySelector('section[aria-label="Audit matrix"]') as HTMLElement;
    const body: Record<string, unknown> = { rule };
    if (withExplain) body['explain'] = { user: value(ex, '[name="user"]').trim(), resource: value(ex, '[name="resource"]').trim(), action: value(ex, '[name="action"]').trim() };
    if (withAudit) body['audit'] = { resourceType: value(au, '[name="resourceType"]').trim(), resourceFilter: value(au, '[name="resourceFilter"]'), userFilter: value(au, '[name="userFilter"]') };
    replace(out, 'Evaluating the edited rule…');
    try {
      render(out, await qrs.post<Preview>('systemrule/security/preview', body));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, `Preview refused: ${refusal(e)}`));
    }
  };
  return h('section', { class: 'panel', 'aria-label': 'Unsaved rule preview' },
    h('h3', {}, 'Preview the rule as edited (not saved)'),
    h('p', { class: 'hint' }, 'Evaluates the text in the form above in place of the saved rule, with the user, resource and action of the explain panel and the resource type and filters of the audit panel. Nothing is stored.'),
    h('div', { class: 'toolbar' }, button('Explain as edited', () => void run(true, false)), button('Audit as edited', () => void run(false, true))),
    out);
}

function render(out: HTMLElement, p: Preview): void {
  const parts: Node[] = [];
  if (p.explain) {
    const now = p.explain.decision?.kind ?? 'unknown';
    const before = p.explainSaved?.decision?.kind ?? 'unknown';
    parts.push(h('p', { class: now === 'allow' ? 'ok' : 'bad', 'data-field': 'explain' }, `As edited: ${now} (saved rules: ${before})`), h('pre', {}, p.explain.text ?? ''));
  }
  if (p.audit) {
    const m = p.audit;
    const head = h('tr', {}, h('th', { scope: 'col' }, 'User \\ resource'), ...m.resources.map((r) => h('th', { scope: 'col' }, r.name || r.id)));
    let changed = 0;
    const rows = m.users.map((u) => h('tr', {}, h('th', { scope: 'row' }, `${u.userDirectory}\\${u.userId}`), ...m.resources.map((r) => {
      const now = grants(m, u.id, r.id);
      const before = grants(p.auditSaved, u.id, r.id);
      const added = now.filter((a) => !before.includes(a));
      const removed = before.filter((a) => !now.includes(a));
      if (added.length || removed.length) changed++;
      const text = [now.join(', ') || '—', ...added.map((a) => `+${a}`), ...removed.map((a) => `−${a}`)];
      return h('td', { class: added.length || removed.length ? 'changed' : '', 'data-id': `${u.id}|${r.id}` }, text[0] as string, added.length || removed.length ? h('span', { class: 'delta' }, ` (${text.slice(1).join(' ')})`) : null);
    })));
    parts.push(h('p', { 'data-field': 'audit' }, `${changed} cell(s) change against the saved rules.`),
      m.users.length === 0 || m.resources.length === 0 ? h('p', {}, 'No users or resources you may read match.') : h('table', { class: 'matrix preview-matrix' }, h('thead', {}, head), h('tbody', {}, ...rows)));
  }
  replace(out, ...parts);
}
