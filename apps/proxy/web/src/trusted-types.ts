/**
 * The hub's one Trusted Types policy, named `default` (the only name its CSP allows, created once:
 * no duplicates). Qlik's visualizations assign strings to `innerHTML` (picasso.js clears its
 * element with `innerHTML = ""`, sn-table's screen-reader announcer writes its message with it);
 * under `trusted-types 'none'` those throw and no chart is drawn. This policy lets them run but
 * makes every such string inert: it returns the string HTML-escaped, so the sink can only ever
 * create one text node with exactly that text — never an element, an attribute or a script.
 * No createScript / createScriptURL: string → script and script-URL sinks stay blocked.
 * It must run before any other module (hub.ts imports it first).
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function asText(html: string): string {
  return html.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createHTML(input: string): string }): unknown;
}
const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
tt?.createPolicy('default', { createHTML: asText });
