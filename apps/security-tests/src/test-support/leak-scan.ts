import { resolve } from 'node:path';

/**
 * What a response must never carry (architecture.md: "nothing at 5xx level exposes internals"):
 * stack frames, file system paths of the installation or the site, and the raw texts of runtime or
 * driver errors, which name tables, hosts and ports.
 */
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

const PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'stack frame', re: /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/)?\/[^\s)]*:\d+:\d+\)?/ },
  { name: 'source location', re: /[\w-]+\.(?:ts|cjs|mjs|js):\d+(?::\d+)?/ },
  { name: 'node_modules path', re: /node_modules\// },
  { name: 'bundle path', re: /dist\/apps\// },
  { name: 'temp site path', re: /\/tmp\/tz-/ },
  { name: 'runtime error text', re: /\b(?:TypeError|ReferenceError|RangeError|SyntaxError): |Cannot read propert|is not a function|undefined is not/ },
  // Whole words only: responses carry random base64url tokens (csrfToken, tickets), and one with
  // "…RGRPcg" matched a bare /grpc/i (a CI flake). `-` still separates words, so "@grpc/grpc-js" matches.
  { name: 'driver error text', re: /\bPrisma|\bSqliteError\b|\bSQLITE_[A-Z]|\b(?:ECONNREFUSED|ECONNRESET|EADDRINUSE|ENOENT|EACCES)\b|\b14 UNAVAILABLE\b|\bgrpc\b/i },
];

export interface Leak {
  where: string;
  kind: string;
  excerpt: string;
}

/** Every leak in `texts` (labelled by `where`), also flagging any of `secrets` (site paths, keys). */
export function scanForLeaks(texts: readonly { where: string; text: string }[], extraSecrets: readonly string[] = []): Leak[] {
  const secrets = [REPO_ROOT, ...extraSecrets].filter((s) => s.length >= 8);
  const leaks: Leak[] = [];
  for (const { where, text } of texts) {
    for (const p of PATTERNS) {
      const m = p.re.exec(text);
      if (m) leaks.push({ where, kind: p.name, excerpt: text.slice(Math.max(0, m.index - 60), m.index + 100) });
    }
    for (const s of secrets) {
      const i = text.indexOf(s);
      if (i >= 0) leaks.push({ where, kind: 'internal path or secret', excerpt: text.slice(Math.max(0, i - 60), i + 100) });
    }
  }
  return leaks;
}
