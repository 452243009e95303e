import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';

export type ComposeVars = Readonly<Record<string, string | undefined>>;

/**
 * Compose's variable interpolation of one string (compose-spec "Interpolation"): `$$` is a literal
 * `$`; `${VAR}` / `$VAR`; `${VAR:-d}` (unset or empty → d), `${VAR-d}` (unset → d); `${VAR:?msg}` /
 * `${VAR?msg}` fail; `${VAR:+r}` / `${VAR+r}` replace when set. Anything else is an error rather than
 * a guess, so a typo in the file cannot silently become an empty value.
 */
export function interpolate(text: string, vars: ComposeVars): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new SiteTestError(SiteTestErrorCode.Interpolation, `unterminated \${ in "${text}"`);
      out += expand(text.slice(i + 2, end), vars, text);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) throw new SiteTestError(SiteTestErrorCode.Interpolation, `a lone $ in "${text}" (write $$ for a literal $)`);
      out += vars[name] ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

function expand(body: string, vars: ComposeVars, whole: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(body);
  if (!m) throw new SiteTestError(SiteTestErrorCode.Interpolation, `unsupported \${${body}} in "${whole}"`);
  const [, name = '', colon, op, arg = ''] = m;
  const value = vars[name];
  const missing = colon === ':' ? value === undefined || value === '' : value === undefined;
  switch (op) {
    case undefined:
      return value ?? '';
    case '-':
      return missing ? interpolate(arg, vars) : (value ?? '');
    case '?':
      if (missing) throw new SiteTestError(SiteTestErrorCode.Interpolation, `${name}: ${arg || 'required variable is missing'}`);
      return value ?? '';
    case '+':
      return missing ? '' : interpolate(arg, vars);
    default:
      throw new SiteTestError(SiteTestErrorCode.Interpolation, `unsupported operator in \${${body}}`);
  }
}

/** Interpolates every string value of a parsed document (keys are left alone, as compose does). */
export function interpolateDeep(value: unknown, vars: ComposeVars): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars)]));
  }
  return value;
}

/** A `KEY=value` env file as compose reads `--env-file` (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new SiteTestError(SiteTestErrorCode.Interpolation, `env file line without KEY=: "${line}"`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}
