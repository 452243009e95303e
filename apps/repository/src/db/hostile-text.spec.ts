import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { createRepositoryStores, type RepositoryStores } from './repository-stores';
import { ACTOR, newUser, unique } from './store-fixtures';
import { createTestDatabase, type TestDatabase, testProviders } from './test-database';

/** Every C0 control character except NUL, plus DEL. */
const CONTROLS = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('') + '\u007f';

const HOSTILE: [string, string][] = [
  ['single and double quotes', `O'Brien said "hi" and \`ticks\``],
  ['SQL injection', `'; DROP TABLE users; --`],
  ['SQL injection against the real table name', `x'); DELETE FROM "User"; --`],
  ['LIKE wildcards and backslashes', '100% _match_ \\ \\\\ \\x00'],
  ['emoji and combining marks', '🔐👩🏽‍💻 e\u0301 🇸🇪'],
  ['right-to-left text and bidi controls', 'مرحبا \u202Eevil\u202C עברית \u200F'],
  ['control characters', `a${CONTROLS}z`],
  ['CR/LF header splitting', 'x\r\nSet-Cookie: admin=1'],
  ['JSON and template syntax', '{"$gt": ""} ${process.env} {{7*7}}'],
  ['non-BMP and noncharacters', '\u{10FFFF}\u{1D11E}\uFFFE'],
  ['long multi-byte', 'ж'.repeat(250)],
];

describe.each(testProviders())('hostile strings on %s', (provider) => {
  let t: TestDatabase;
  let s: RepositoryStores;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    s = createRepositoryStores(t.db);
  });
  afterAll(() => t?.dispose());

  it.each(HOSTILE)('stores and reads back %s literally, everywhere text goes', async (_label, text) => {
    const usersBefore = await s.users.count();
    const user = await s.users.create({ userDirectory: 'CORP', userId: unique('h'), name: text, email: text, groups: [text], roles: [text], attributes: [{ type: text, value: text }] }, text.slice(0, 256));
    const expectUser = { name: text, email: text, groups: [text], roles: [text], attributes: [{ type: text, value: text, externalId: '', source: 'qrs' }, { type: 'Group', value: text, externalId: '', source: 'qrs' }], modifiedByUserName: text.slice(0, 256) };
    expect(user).toMatchObject(expectUser);
    expect(await s.users.get(user.id)).toMatchObject(expectUser);

    const app = await s.apps.create({ name: text, description: text, ownerId: user.id }, ACTOR);
    expect((await s.apps.get(app.id)).name).toBe(text);
    expect((await s.apps.get(app.id)).description).toBe(text);

    const rule = await s.securityRules.create({ name: text, resourceFilter: text, rule: text, comment: text, actions: 2 }, ACTOR);
    expect(await s.securityRules.get(rule.id)).toMatchObject({ name: text, resourceFilter: text, rule: text, comment: text });

    const tagName = `${text.slice(0, 200)} ${unique('')}`;
    const tag = await s.tags.create({ name: tagName }, ACTOR);
    expect((await s.tags.findByName(tagName))?.id).toBe(tag.id);

    // Nothing was executed: the tables are all still there and hold what they held.
    expect(await s.users.count()).toBe(usersBefore + 1);
    expect(await t.db.user.findMany({ where: { name: text }, select: { id: true } })).toEqual([{ id: user.id }]);
  });

  it('finds by identity with quotes and wildcards literally (no pattern matching)', async () => {
    const literal = await newUser(s, { userId: `%_'${unique('q')}` });
    expect((await s.users.findByIdentity('CORP', literal.userId))?.id).toBe(literal.id);
    expect(await s.users.findByIdentity('CORP', '%')).toBeNull();
    expect(await s.users.findByIdentity('CORP', `' OR '1'='1`)).toBeNull();
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['an unpaired high surrogate', 'a\uD800b'],
    ['an unpaired low surrogate', 'a\uDC00b'],
  ])('refuses %s identically on every provider (PostgreSQL cannot store it, SQLite would alter it)', async (_label, text) => {
    await expect(s.users.create({ userDirectory: 'CORP', userId: unique('n'), name: text }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'name' });
    await expect(s.tags.create({ name: text }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'name' });
  });

  it('bounds sizes: an over-long name is refused before it reaches the database', async () => {
    const user = await newUser(s);
    await expect(s.apps.create({ name: 'x'.repeat(1025), ownerId: user.id }, ACTOR)).rejects.toMatchObject({ code: DbErrorCode.InvalidInput, field: 'name' });
  });
});
