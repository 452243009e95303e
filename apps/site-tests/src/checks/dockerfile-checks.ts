import { effective, stageChain, stageNamed, type Dockerfile, type Stage } from '../dockerfile/dockerfile-parser';
import { isRootUser, type Violation } from './violation';

/** Base images without a compiler toolchain (the full `node:20-bookworm` has gcc, make and python). */
const RUNTIME_BASE = /(-slim$|-slim-|distroless)/;
const TOOLCHAIN = /\b(build-essential|gcc|g\+\+|clang|make|cmake|python3?|node-gyp|libc6-dev)\b/;
const INSTALL = /\b(apt-get|apt|apk|yum|dnf|microdnf)\b[^;&|]*\b(install|add)\b/;
const BUILD_STEP = /\b(npm|npx|yarn|pnpm)\s+(ci|install|rebuild|run\s+build|exec)\b|\bnode-gyp\b/;

type TargetCheck = (chain: Stage[], root: string, df: Dockerfile) => string | undefined;

/** Rules for every image target compose runs (its final stage and the stages it builds on). */
export const TARGET_CHECKS: Record<string, TargetCheck> = {
  'image-user': (chain) => {
    const user = effective(chain, 'USER');
    return isRootUser(user?.args) ? `runs as ${user ? `"${user.args}"` : 'root (no USER)'}` : undefined;
  },
  'image-healthcheck': (chain) => {
    const h = effective(chain, 'HEALTHCHECK');
    if (!h) return 'no HEALTHCHECK';
    return /^NONE$/i.test(h.args.trim()) ? 'HEALTHCHECK NONE' : undefined;
  },
  'image-no-build-tools': (chain, root) => {
    if (!RUNTIME_BASE.test(root)) return `built on ${root}, which carries a compiler toolchain (use a -slim image)`;
    for (const s of chain) {
      for (const ins of s.instructions) {
        if (ins.keyword !== 'RUN') continue;
        if (INSTALL.test(ins.args) && TOOLCHAIN.test(ins.args)) return `line ${ins.line} installs build tools`;
        if (BUILD_STEP.test(ins.args)) return `line ${ins.line} builds in the final image`;
      }
    }
    return undefined;
  },
  // Sources stay in the builder: the final image takes assembled outputs from earlier stages, and
  // from the build context only the entry scripts under docker/.
  'image-no-sources': (chain, _root, df) => {
    for (const s of chain) {
      for (const ins of s.instructions) {
        if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
        const words = ins.args.split(/\s+/).filter(Boolean);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const sources = words.filter((w) => !w.startsWith('--')).slice(0, -1);
        if (!from) {
          const bad = sources.find((p) => !/^docker\/[^*]+$/.test(p));
          if (bad !== undefined) return `line ${ins.line} copies "${bad}" from the build context`;
          continue;
        }
        const fromStage = df.stages.find((x) => x.name === from.toLowerCase());
        const workdir = fromStage ? (effective(stageChain(df, fromStage).chain, 'WORKDIR')?.args ?? '/') : '/';
        const whole = sources.find((p) => ['/', '.', './', workdir, `${workdir}/`].includes(p));
        if (whole !== undefined) return `line ${ins.line} copies the whole ${from} tree (${whole})`;
      }
    }
    return undefined;
  },
};

/** Violations of the image targets `targets` (each must exist as a stage). */
export function dockerfileViolations(df: Dockerfile, targets: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const target of new Set(targets)) {
    let stage: Stage;
    try {
      stage = stageNamed(df, target);
    } catch (e) {
      out.push({ subject: `image ${target}`, check: 'image-target', detail: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const { chain, root } = stageChain(df, stage);
    for (const [check, run] of Object.entries(TARGET_CHECKS)) {
      const why = run(chain, root, df);
      if (why) out.push({ subject: `image ${target}`, check, detail: why });
    }
  }
  return out;
}
