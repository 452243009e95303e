import { ACTION_BITS, ACTION_NAMES, parseCondition, parseResourceFilter, RuleParseError } from '@trustzone/rules';
import { button, field, h, replace } from './dom';
import { entityForm } from './entity-form';
import { call, qrs, QrsError } from './qrs-client';
import { unsavedRulePanel } from './rule-preview';

/**
 * The security rule editor: the rule's fields with a syntax check as you type (the same parser the
 * repository compiles rules with, bundled here; the repository re-validates on save and its answer
 * is what counts), the explain for a chosen user and resource (the repository's
 * `GET /qrs/systemrule/security/explain`, for the rules as saved) and the audit matrix
 * (`POST /qrs/systemrule/security/audit`): users × resources × granted actions.
 */
type Rule = Record<string, unknown> & { id?: string; name?: string; rule?: string; resourceFilter?: string; actions?: number };

export function syntaxOf(name: string, text: string): string {
  try {
    if (name === 'rule') parseCondition(text);
    else if (name === 'resourceFilter') parseResourceFilter(text);
    return 'Syntax OK';
  } catch (e) {
    if (e instanceof RuleParseError) return `Syntax error at line ${e.line}, column ${e.column}: ${e.detail}`;
    return `Syntax error: ${(e as Error).message}`;
  }
}

const actionList = (mask: number): string => ACTION_NAMES.filter((a) => (mask & ACTION_BITS[a]) !== 0).join(', ') || 'none';

export function ruleEditor(rule: Rule, onSaved: () => void): HTMLElement {
  const isNew = rule.id === undefined;
  const check = { rule: h('p', { class: 'syntax', role: 'status', 'aria-live': 'polite' }), resourceFilter: h('p', { class: 'syntax', role: 'status' }) };
  const showSyntax = (name: string, value: string): void => {
    if (name !== 'rule' && name !== 'resourceFilter') return;
    const msg = syntaxOf(name, value);
    const el = check[name];
    el.className = msg === 'Syntax OK' ? 'syntax ok' : 'syntax bad';
    replace(el, `${name === 'rule' ? 'Condition' : 'Resource filter'}: ${msg}`);
  };
  const actionsHint = h('p', { class: 'hint' }, `Bits: ${ACTION_NAMES.map((a) => `${a}=${ACTION_BITS[a]}`).join(', ')}. Now: ${actionList(Number(rule.actions ?? 0))}`);
  const form = entityForm({
    title: isNew ? 'New security rule' : `Security rule: ${rule.name ?? ''}`,
    entity: rule,
    fields: [
      { name: 'name', label: 'Name' },
      { name: 'resourceFilter', label: 'Resource filter', hint: 'e.g. App_*, Stream_*' },
      { name: 'rule', label: 'Condition', kind: 'textarea', hint: 'e.g. user.roles = "Auditor"' },
      { name: 'actions', label: 'Actions (bit mask)', kind: 'number' },
      { name: 'ruleContext', label: 'Context (0 both, 1 hub, 2 management)', kind: 'number' },
      { name: 'disabled', label: 'Disabled', kind: 'checkbox' },
      { name: 'comment', label: 'Comment', kind: 'textarea' },
    ],
    onInput: (name, value) => {
      showSyntax(name, value);
      if (name === 'actions') replace(actionsHint, `Now: ${actionList(Number(value))}`);
    },
    save: (body) => (isNew ? qrs.post('systemrule', body) : qrs.put('systemrule', rule.id as string, body)),
    onSaved,
  });
  // Each syntax line sits under its own field.
  for (const [name, el] of Object.entries(check)) form.querySelector(`[name="${name}"]`)?.closest('.field')?.append(el);
  form.querySelector('[name="actions"]')?.closest('.field')?.append(actionsHint);
  showSyntax('rule', String(rule.rule ?? ''));
  showSyntax('resourceFilter', String(rule.resourceFilter ?? ''));
  const editor = h('div', { class: 'rule-editor' }, form, explainPanel(rule), auditPanel(rule));
  editor.append(unsavedRulePanel(rule.id, editor));
  return editor;
}

function explainPanel(rule: Rule): HTMLElement {
  const user = h('input', { type: 'text', name: 'user', placeholder: 'DIRECTORY\\userId (empty: you)', autocomplete: 'off' });
  const resource = h('input', { type: 'text', name: 'resource', placeholder: 'App_<id>, Stream_<id>, …', autocomplete: 'off' });
  const action = h('input', { type: 'text', name: 'action', value: ACTION_NAMES.find((a) => (Number(rule.actions ?? 0) & ACTION_BITS[a]) !== 0) ?? 'read' });
  const out = h('div', { class: 'explain-out', role: 'status' });
  const run = async (): Promise<void> => {
    replace(out, 'Asking the repository…');
    try {
      const x = await call<{ decision?: { kind?: string; grantedBy?: string[]; reason?: unknown }; text?: string }>('GET', '/qrs/systemrule/security/explain', undefined, { user: user.value.trim(), resource: resource.value.trim(), action: action.value.trim() });
      const kind = x.decision?.kind ?? 'unknown';
      replace(out, h('p', { class: kind === 'allow' ? 'ok' : 'bad' }, `Decision: ${kind}`), h('pre', {}, x.text ?? JSON.stringify(x, null, 2)));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, e instanceof QrsError ? `${e.detail.field ? `${e.detail.field}: ` : ''}${e.detail.message} (${e.detail.status})` : (e as Error).message));
    }
  };
  return h('section', { class: 'panel', 'aria-label': 'Explain' }, h('h3', {}, 'Explain (rules as saved)'),
    field('User', user), field('Resource', resource), field('Action', action), button('Explain', () => void run()), out);
}

interface Matrix {
  actions: string[];
  users: { id: string; userDirectory: string; userId: string }[];
  resources: { id: string; name: string }[];
  rules: Record<string, string>;
  cells: { userId: string; resourceId: string; granted: { action: string; grantedBy: string[] }[] }[];
}

function auditPanel(rule: Rule): HTMLElement {
  const type = h('input', { type: 'text', name: 'resourceType', value: String(rule.resourceFilter ?? 'App_*').split('_')[0] || 'App' });
  const resourceFilter = h('input', { type: 'text', name: 'resourceFilter', placeholder: "QRS filter on resources, e.g. name eq 'Sales'" });
  const userFilter = h('input', { type: 'text', name: 'userFilter', placeholder: "QRS filter on users, e.g. userDirectory eq 'CORP'" });
  const out = h('div', { class: 'audit-out', role: 'status' });
  const run = async (): Promise<void> => {
    replace(out, 'Computing…');
    try {
      const m = await qrs.post<Matrix>('systemrule/security/audit', { resourceType: type.value.trim(), resourceFilter: resourceFilter.value, userFilter: userFilter.value });
      const cell = new Map(m.cells.map((c) => [`${c.userId}|${c.resourceId}`, c]));
      const head = h('tr', {}, h('th', { scope: 'col' }, 'User \\ resource'), ...m.resources.map((r) => h('th', { scope: 'col' }, r.name || r.id)));
      const rows = m.users.map((u) => h('tr', {}, h('th', { scope: 'row' }, `${u.userDirectory}\\${u.userId}`), ...m.resources.map((r) => {
        const c = cell.get(`${u.id}|${r.id}`);
        const grants = c?.granted ?? [];
        return h('td', { title: grants.map((g) => `${g.action}: ${g.grantedBy.map((id) => m.rules[id] ?? id).join(', ')}`).join('\n') || 'nothing' }, grants.map((g) => g.action).join(', ') || '—');
      })));
      replace(out, m.users.length === 0 || m.resources.length === 0 ? 'No users or resources you may read match.' : h('table', { class: 'matrix' }, h('thead', {}, head), h('tbody', {}, ...rows)));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, e instanceof QrsError ? `${e.detail.field ? `${e.detail.field}: ` : ''}${e.detail.message} (${e.detail.status})` : (e as Error).message));
    }
  };
  return h('section', { class: 'panel', 'aria-label': 'Audit matrix' }, h('h3', {}, 'Audit matrix (rules as saved): users × resources × actions'),
    field('Resource type', type), field('Resource filter', resourceFilter), field('User filter', userFilter), button('Compute', () => void run()), out);
}
