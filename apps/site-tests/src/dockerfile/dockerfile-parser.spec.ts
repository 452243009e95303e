import { describe, expect, it } from 'vitest';
import { effective, effectiveEnv, execForm, parseDockerfile, stageChain, stageNamed } from './dockerfile-parser';

const TEXT = `# syntax=docker/dockerfile:1
ARG BASE=debian:12-slim
FROM \${BASE} AS base
ENV A=1 B="two words" \\
    C=3
USER 1000
RUN set -e; \\
    # a comment inside a continuation is dropped
    echo one; \\

    echo two
HEALTHCHECK --interval=5s CMD ["true"]

FROM base AS app
ENV LEGACY value with spaces
CMD node main.js

FROM scratch AS other
`;

describe('Dockerfile parser', () => {
  const df = parseDockerfile(TEXT);

  it('substitutes global ARG defaults in FROM and names stages', () => {
    expect(df.stages.map((s) => [s.name, s.base])).toEqual([['base', 'debian:12-slim'], ['app', 'base'], ['other', 'scratch']]);
  });

  it('joins continuations, dropping comment and blank lines inside them', () => {
    const run = stageNamed(df, 'base').instructions.find((i) => i.keyword === 'RUN');
    expect(run?.args).toBe('set -e; echo one; echo two');
    expect(run?.line).toBe(7);
  });

  it('resolves a stage chain down to its external image and inherits USER, HEALTHCHECK and ENV', () => {
    const { chain, root } = stageChain(df, stageNamed(df, 'APP'));
    expect(chain.map((s) => s.name)).toEqual(['base', 'app']);
    expect(root).toBe('debian:12-slim');
    expect(effective(chain, 'USER')?.args).toBe('1000');
    expect(effective(chain, 'HEALTHCHECK')?.args).toBe('--interval=5s CMD ["true"]');
    expect(effectiveEnv(chain)).toEqual({ A: '1', B: 'two words', C: '3', LEGACY: 'value with spaces' });
    expect(execForm(effective(chain, 'CMD')?.args ?? '')).toEqual(['/bin/sh', '-c', 'node main.js']);
    expect(effective(stageChain(df, stageNamed(df, 'other')).chain, 'USER')).toBeUndefined();
  });

  it('fails on what it cannot read', () => {
    expect(() => parseDockerfile('RUN echo\nFROM x')).toThrow(/before the first FROM/);
    expect(() => parseDockerfile('FROM x\nRUN a \\')).toThrow(/ends inside a continued instruction/);
    expect(() => stageNamed(df, 'missing')).toThrow(/no stage named/);
    expect(() => execForm('["a", 1]')).toThrow(/JSON string array/);
  });
});
