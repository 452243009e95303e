import { button, field, h, replace } from './dom';
import { QrsError } from './qrs-client';

/**
 * An edit form over one entity. Each input names its body field; on save the whole entity (with its
 * modifiedDate, so a concurrent change conflicts) goes back to the server, which validates it; an
 * error naming a field is shown next to that field, any other above the buttons.
 */
export type FieldKind = 'text' | 'textarea' | 'checkbox' | 'json' | 'number';
export interface FieldSpec {
  name: string;
  label: string;
  kind?: FieldKind;
  hint?: string;
  readOnly?: boolean;
}

export interface FormOptions {
  title: string;
  entity: Record<string, unknown>;
  fields: FieldSpec[];
  save: (body: Record<string, unknown>) => Promise<unknown>;
  onSaved?: () => void;
  extra?: HTMLElement[];
  onInput?: (name: string, value: string) => void;
}

type Input = HTMLInputElement | HTMLTextAreaElement;

export function entityForm(o: FormOptions): HTMLElement {
  const inputs = new Map<string, { spec: FieldSpec; input: Input }>();
  const general = h('p', { class: 'form-error', role: 'alert' });
  const done = h('p', { class: 'saved', role: 'status' });
  const form = h('form', { class: 'entity-form', 'aria-label': o.title });
  const parts = o.fields.map((spec) => {
    const v = o.entity[spec.name];
    let input: Input;
    const kind = spec.kind ?? 'text';
    if (kind === 'textarea' || kind === 'json') {
      input = h('textarea', { name: spec.name, rows: kind === 'json' ? '8' : '4', spellcheck: 'false' });
      input.value = kind === 'json' ? JSON.stringify(v ?? null, null, 2) : String(v ?? '');
    } else if (kind === 'checkbox') {
      input = h('input', { type: 'checkbox', name: spec.name });
      input.checked = v === true;
    } else {
      input = h('input', { type: kind === 'number' ? 'number' : 'text', name: spec.name, autocomplete: 'off', spellcheck: 'false' });
      input.value = v === undefined || v === null ? '' : String(v);
    }
    if (spec.readOnly) input.setAttribute('readonly', '');
    input.addEventListener('input', () => {
      input.removeAttribute('aria-invalid');
      o.onInput?.(spec.name, input.value);
    });
    inputs.set(spec.name, { spec, input });
    return field(spec.label, input, spec.hint);
  });

  const clearErrors = (): void => {
    replace(general);
    replace(done);
    for (const el of form.querySelectorAll('.field-error')) replace(el);
    for (const { input } of inputs.values()) input.removeAttribute('aria-invalid');
  };
  const showError = (name: string | undefined, message: string): void => {
    // The server names body fields as `name`, `body.name` or `attributes.0.attributeType`: the
    // form's field is the first path part it has.
    const path = (name ?? '').replace(/^body\./, '').split(/[.[]/);
    const hit = path[0] ? inputs.get(path[0]) : undefined;
    if (hit) {
      hit.input.setAttribute('aria-invalid', 'true');
      const err = form.querySelector(`.field-error[data-field="${CSS.escape(hit.spec.name)}"]`);
      if (err) replace(err, message.startsWith(name ?? '') ? message : `${name}: ${message}`);
      hit.input.focus();
      return;
    }
    replace(general, name ? `${name}: ${message}` : message);
  };

  const save = async (): Promise<void> => {
    clearErrors();
    const body: Record<string, unknown> = { ...o.entity };
    for (const { spec, input } of inputs.values()) {
      if (spec.readOnly) continue;
      const kind = spec.kind ?? 'text';
      if (kind === 'checkbox') body[spec.name] = (input as HTMLInputElement).checked;
      else if (kind === 'number') body[spec.name] = input.value === '' ? undefined : Number(input.value);
      else if (kind === 'json') {
        try {
          body[spec.name] = JSON.parse(input.value);
        } catch {
          showError(spec.name, 'is not valid JSON');
          return;
        }
      } else body[spec.name] = input.value;
    }
    saveButton.disabled = true;
    try {
      await o.save(body);
      replace(done, 'Saved.');
      o.onSaved?.();
    } catch (e) {
      if (e instanceof QrsError) showError(e.detail.field, `${e.detail.message} (${e.detail.status} ${e.detail.code})`);
      else showError(undefined, (e as Error).message);
    } finally {
      saveButton.disabled = false;
    }
  };
  const saveButton = button('Save', () => void save(), { class: 'primary' });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void save();
  });
  form.append(...parts, general, done, h('div', { class: 'actions' }, saveButton), ...(o.extra ?? []));
  return h('section', { class: 'editor' }, h('h2', {}, o.title), form);
}
