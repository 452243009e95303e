/**
 * HTML escaping for text and for double-quoted attribute values (OWASP XSS prevention rules #1 and #2).
 * Escaping `& < > " '` makes a value inert in both positions; `/`, `=` and backtick are escaped too so
 * the same function is safe if a template ever loses its quotes.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '/': '&#47;',
  '`': '&#96;',
  '=': '&#61;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'/`=]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A link target that cannot run script: a same-site absolute path (not `//host`, which is another
 * site) or an https URL. Anything else — `javascript:`, `data:`, relative tricks — yields null.
 */
export function safeHref(url: string): string | null {
  if (url.length > 2048) return null;
  if (/[\u0000-\u001f\u007f\s\\]/.test(url)) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
