import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@trustzone/contracts';
import { tailAuditLog } from '@trustzone/logging';
import { testProviders } from '../db/test-database';
import { asUser, startRepository, type RepositoryHarness } from '../test-support/repository-harness';
import { failure, repositoryCalls } from '../test-support/repository-calls';

const HOSTILE = [
  `'; DROP TABLE "App"; --`,
  `Robert'); DELETE FROM "SecurityRule" WHERE ('1'='1`,
  `quotes " ' \` and backslash \\ and percent %_`,
  'unicode: 日本語 ‏עברית‎ 🚀 e\u0301',
  'controls: \u0001\u0007\t\r\n\u001b[31m red',
];

describe.each(testProviders())('rule saves and hostile text on %s', (provider) => {
  let h: RepositoryHarness;
  let q: ReturnType<typeof repositoryCalls>;
  const admin = asUser('CORP', 'admin');
  const dave = asUser('CORP', 'dave', { context: 'hub' });

  beforeAll(async () => {
    h = await startRepository(provider);
    q = repositoryCalls(h.proxy);
    await q.create('user', { userDirectory: 'CORP', userId: 'dave', groups: ['Ops'] }, admin);
  });
  afterAll(() => h?.stop());

  const ruleCount = () => h.repository.core.stores.securityRules.count();

  it('a condition that does not parse is refused with line and column, stored nowhere, and the refusal is audited', async () => {
    const line2 = '  and and resource.name = "x"';
    const text = `user.group = "Ops"\n${line2}`;
    const before = await ruleCount();
    const err = await failure(q.create('systemrule', { name: 'broken', resourceFilter: 'Stream_*', actions: 2, rule: text }, admin));
    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.rule' });
    // The second `and` on line 2 is the unexpected token (1-based column).
    expect(err.detail).toMatchObject({ line: 2, column: line2.indexOf('and and') + 5 });
    expect(err.message).toMatch(/line 2, column/);
    expect(await ruleCount()).toBe(before);
    expect((await q.list('systemrule', admin)).map((r) => r.name)).not.toContain('broken');
    const audit = await tailAuditLog({ dir: h.site.paths.audit, filter: { action: 'entity.create', outcome: 'failure' } });
    expect(audit.entries.at(-1)).toMatchObject({ actor: { user: 'CORP\\admin', service: 'proxy' }, target: { type: 'SystemRule' } });
  });

  it.each([
    ['resourceFilter', { resourceFilter: 'Stream_*x*' }],
    ['actions', { actions: 0 }],
    ['rule', { rule: 'resource.nosuchproperty = "x"' }],
  ])('a rule with a bad %s is refused naming the field', async (field, bad) => {
    const before = await ruleCount();
    const err = await failure(q.create('systemrule', { name: `bad ${field}`, resourceFilter: 'Stream_*', actions: 2, rule: '', ...bad }, admin));
    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument, field: `body.${field}` });
    expect(await ruleCount()).toBe(before);
  });

  it('a saved rule takes effect on the next call, and an edit that removes the grant removes it', async () => {
    const stream = await q.create('stream', { name: 'Ops stream' }, admin);
    const sees = async () => (await q.list('stream', dave)).some((s) => s.id === stream.id);
    expect(await sees()).toBe(false);
    const rule = await q.create('systemrule', { name: 'Ops streams', resourceFilter: `Stream_${stream.id}`, actions: 2, rule: 'user.group = "Ops"' }, admin);
    expect(await sees()).toBe(true);
    await q.update('systemrule', rule.id, { rule: 'user.group = "Nobody"', modifiedDate: rule.modifiedDate }, admin);
    expect(await sees()).toBe(false);
  });

  it('shipped read-only rules can be neither changed nor deleted, even by RootAdmin', async () => {
    const rootRule = (await q.list('systemrule', admin, { filter: "name eq 'RootAdmin'", full: true }))[0]!;
    expect(rootRule.type).toBe('ReadOnly');
    expect((await failure(q.update('systemrule', rootRule.id, { rule: '', modifiedDate: rootRule.modifiedDate }, admin))).code).toBe(ErrorCode.FailedPrecondition);
    expect((await failure(q.remove('systemrule', rootRule.id, admin))).code).toBe(ErrorCode.FailedPrecondition);
    expect((await q.get('systemrule', rootRule.id, admin)).rule).toBe('user.roles = "RootAdmin"');
  });

  it.each(HOSTILE)('hostile text is stored and returned literally, and found by a filter: %j', async (text) => {
    const stream = await q.create('stream', { name: text }, admin);
    expect((await q.get('stream', stream.id, admin)).name).toBe(text);
    const quoted = `'${text.replace(/'/g, "''")}'`;
    expect((await q.list('stream', admin, { filter: `name eq ${quoted}` })).map((s) => s.id)).toEqual([stream.id]);
    // Rule text keeps it too, inside a string literal (only \" and \\ are escapes there); the
    // condition language has no way to write a control character, so such a rule is refused.
    const literal = `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const ruleText = `resource.name = ${literal} and user.group = "Ops"`;
    const before = await ruleCount();
    if (/[\u0000-\u001f]/.test(text)) {
      expect(await failure(q.create('systemrule', { name: text, resourceFilter: 'Stream_*', actions: 2, rule: ruleText }, admin))).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'body.rule', detail: { line: 1 } });
      expect(await ruleCount()).toBe(before);
      return;
    }
    const rule = await q.create('systemrule', { name: text, resourceFilter: 'Stream_*', actions: 2, rule: ruleText }, admin);
    const stored = await q.get('systemrule', rule.id, admin);
    expect({ name: stored.name, rule: stored.rule }).toEqual({ name: text, rule: ruleText });
    expect((await q.list('stream', dave)).map((s) => s.id)).toContain(stream.id);
  });

  it('a filter that does not parse is InvalidArgument with its 0-based position', async () => {
    const filter = "name eq 'a' or or name eq 'b'";
    const err = await failure(q.list('stream', admin, { filter }));
    expect(err).toMatchObject({ code: ErrorCode.InvalidArgument, field: 'filter', detail: { position: filter.indexOf('or or') + 3 } });
    expect((await failure(q.list('stream', admin, { orderby: 'name sideways' }))).field).toBe('orderby');
  });
});
