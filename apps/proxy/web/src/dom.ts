/**
 * The pages' only way to build DOM: elements from a tag, a few attributes and children, where every
 * string child becomes a Text node. Nothing here parses HTML (no innerHTML, insertAdjacentHTML,
 * document.write); the page's CSP also requires Trusted Types: the console allows no policy, so a
 * string reaching an HTML sink throws; the hub's one `default` policy (trusted-types.ts, for Qlik's
 * charts) turns such a string into inert text.
 */
export type Child = Node | string | number | null | undefined | false;

// Attributes that cannot carry script. `href` only through link() below (checked scheme).
const SAFE_ATTRS = new Set(['id', 'class', 'type', 'name', 'value', 'placeholder', 'for', 'role', 'title', 'rows', 'cols', 'min', 'max', 'step',
  'aria-label', 'aria-live', 'aria-invalid', 'aria-describedby', 'aria-sort', 'aria-current', 'aria-busy', 'autocomplete', 'spellcheck', 'scope', 'tabindex', 'data-id', 'data-field', 'data-section', 'data-renderer', 'colspan', 'disabled', 'readonly', 'aria-selected']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (!SAFE_ATTRS.has(k)) throw new Error(`attribute ${k} is not allowed`);
    el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** A link to a same-origin path or a hash route only. */
export function link(href: string, ...children: Child[]): HTMLAnchorElement {
  const a = h('a', {}, ...children);
  if (!/^(#|\/(?!\/))/.test(href)) throw new Error('links go to this site only');
  a.setAttribute('href', href);
  return a;
}

export function button(label: string, onClick: (ev: MouseEvent) => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A labelled field; `error` is where the server's message for this field goes. */
export function field(label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLDivElement {
  const id = `f-${input.name}-${Math.random().toString(36).slice(2, 8)}`;
  input.id = id;
  const err = h('p', { class: 'field-error', role: 'alert', 'data-field': input.name });
  input.setAttribute('aria-describedby', `${id}-err`);
  err.id = `${id}-err`;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint' }, hint) : null, err);
}

/** A link that saves bytes the page fetched itself (with its xrfkey) as a file: a blob: URL only. */
export function blobLink(blob: Blob, fileName: string, label: string): HTMLAnchorElement {
  const a = h('a', { class: 'download' }, label);
  a.setAttribute('href', URL.createObjectURL(blob));
  a.setAttribute('download', fileName);
  return a;
}
