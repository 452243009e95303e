import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  /** The FROM image with global ARG defaults substituted; another stage's name when it builds on one. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  stages: Stage[];
}

/**
 * Splits a Dockerfile into stages and instructions, as BuildKit reads it: `\` continues a line,
 * comment lines inside a continuation are dropped, ARGs before the first FROM are the only ones
 * FROM may use (their defaults are taken; build args are not modelled).
 */
export function parseDockerfile(text: string): Dockerfile {
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, `line ${ins.line}: cannot read FROM ${ins.args}`);
      const base = (m[1] ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globals.get(a ?? b ?? '') ?? '');
      stages.push({ name: m[2]?.toLowerCase(), base, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, `line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [k = '', v = ''] = ins.args.split('=', 2);
      globals.set(k.trim(), v.trim().replace(/^(['"])(.*)\1$/, '$2'));
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(ins);
    }
  }
  if (stages.length === 0) throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, 'no FROM in the Dockerfile');
  return { stages };
}

function* instructions(text: string): Generator<Instruction> {
  const lines = text.split('\n');
  let current: { parts: string[]; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    const trimmed = raw.trim();
    // Comment lines and blank lines are dropped, also inside a continuation (BuildKit does the same).
    if (trimmed.startsWith('#') || trimmed === '') continue;
    const continues = /\\\s*$/.test(raw);
    const body = continues ? raw.replace(/\\\s*$/, '') : raw;
    if (!current) current = { parts: [], line: i + 1 };
    current.parts.push(body.trim());
    if (continues) continue;
    const joined = current.parts.filter((p) => p !== '').join(' ');
    const m = /^(\S+)\s*(.*)$/s.exec(joined);
    if (m) yield { keyword: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim(), line: current.line };
    current = undefined;
  }
  if (current) throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, `line ${current.line}: the file ends inside a continued instruction`);
}

/** The stage a name refers to (case-insensitive, as BuildKit). */
export function stageNamed(df: Dockerfile, name: string): Stage {
  const s = df.stages.find((x) => x.name === name.toLowerCase());
  if (!s) throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, `no stage named "${name}" in the Dockerfile`);
  return s;
}

/** A stage and the stages it builds on, outermost base first; `root` is the external image at the bottom. */
export function stageChain(df: Dockerfile, stage: Stage): { chain: Stage[]; root: string } {
  const chain: Stage[] = [stage];
  let cur = stage;
  for (;;) {
    const parent = df.stages.slice(0, df.stages.indexOf(cur)).find((s) => s.name === cur.base.toLowerCase());
    if (!parent) break;
    chain.unshift(parent);
    cur = parent;
  }
  return { chain, root: cur.base };
}

/** The last value of an instruction along a stage chain (USER, HEALTHCHECK, CMD, WORKDIR…). */
export function effective(chain: readonly Stage[], keyword: string): Instruction | undefined {
  let found: Instruction | undefined;
  for (const s of chain) for (const ins of s.instructions) if (ins.keyword === keyword) found = ins;
  return found;
}

/** ENV along a chain: `ENV A=1 B="two words"` and the legacy `ENV A value`. */
export function effectiveEnv(chain: readonly Stage[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of chain) {
    for (const ins of s.instructions) {
      if (ins.keyword !== 'ENV') continue;
      if (!/^\S+=/.test(ins.args)) {
        const [k = '', ...rest] = ins.args.split(/\s+/);
        env[k] = rest.join(' ');
        continue;
      }
      for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
        env[m[1] ?? ''] = (m[2] ?? '').replace(/^(['"])(.*)\1$/s, '$2');
      }
    }
  }
  return env;
}

/** An exec-form (JSON array) CMD/ENTRYPOINT/HEALTHCHECK CMD; shell form becomes `sh -c`. */
export function execForm(args: string): string[] {
  const t = args.trim();
  if (t.startsWith('[')) {
    const parsed: unknown = JSON.parse(t);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    throw new SiteTestError(SiteTestErrorCode.DockerfileInvalid, `not a JSON string array: ${t}`);
  }
  return ['/bin/sh', '-c', t];
}
