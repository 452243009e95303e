import { callActor, printable } from '../audit/repository-audit';
import { invalid, notFound } from '../errors/service-errors';
import { appKind } from '../entities/kinds/app.kind';
import { userSnapshot } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import { requireRuleReader } from '../security/rule-reader';
import type { AppActionDeps } from './app-action-deps';

export interface SectionAccessPreviewIn {
  appId: string;
  userDirectory: string;
  userId: string;
  group: string;
}

/** Who the engine previews: a stored user (with their groups as the rules see them) or one group. */
export type PreviewSubject =
  | { kind: 'user'; userDirectory: string; userId: string; groups: string[] }
  | { kind: 'group'; group: string };

const MAX_NAME = 256;

function subjectOf(req: SectionAccessPreviewIn): { kind: 'user'; userDirectory: string; userId: string } | { kind: 'group'; group: string } {
  const user = req.userDirectory !== '' || req.userId !== '';
  if (user === (req.group !== '')) throw invalid(user ? 'group' : 'userId', 'give either userDirectory and userId, or group');
  if (!user) {
    if (req.group.trim() === '' || req.group.length > MAX_NAME) throw invalid('group', `must be a group name of at most ${MAX_NAME} characters`);
    return { kind: 'group', group: req.group };
  }
  if (req.userDirectory.trim() === '' || req.userDirectory.length > MAX_NAME) throw invalid('userDirectory', `is required (at most ${MAX_NAME} characters)`);
  if (req.userId.trim() === '' || req.userId.length > MAX_NAME) throw invalid('userId', `is required (at most ${MAX_NAME} characters)`);
  return { kind: 'user', userDirectory: req.userDirectory, userId: req.userId };
}

/**
 * The rule check before the engine computes a section-access preview (issue 22, beyond Qlik). A
 * preview tells how much of an app's data someone else gets, so it is for administrators: Read on
 * the app (NotFound otherwise, as everywhere), Read on the security rules as a whole (the explain's
 * gate: only admin roles hold it), and Read on the previewed user. Each preview is audited with the
 * admin (actor), the app (target) and who was previewed, before the engine answers.
 */
export async function authorizeSectionAccessPreview(d: AppActionDeps, req: SectionAccessPreviewIn, access: RequestAccess): Promise<string> {
  const wanted = subjectOf(req);
  const { record } = await d.entities.readable(appKind, req.appId, access);
  await requireRuleReader(access);
  let subject: PreviewSubject;
  if (wanted.kind === 'user') {
    await d.cache.load(['User', 'CustomPropertyDefinition']);
    const id = d.cache.userIdByIdentity(wanted.userDirectory, wanted.userId);
    const u = id !== undefined ? d.cache.records('User').get(id) : undefined;
    if (!u) throw notFound('User');
    await access.requireReadable(userSnapshot(d.cache, u), 'User');
    subject = { kind: 'user', userDirectory: u.userDirectory, userId: u.userId, groups: [...u.groups] };
  } else {
    subject = wanted;
  }
  const previewed = subject.kind === 'user' ? { user: `${printable(subject.userDirectory)}\\${printable(subject.userId)}` } : { group: printable(subject.group) };
  await d.audit.record({ actor: callActor(access.ctx), action: 'app.sectionaccess.preview', outcome: 'success', target: { type: 'App', id: record.id }, details: previewed });
  return JSON.stringify({ appId: record.id, name: record.name, subject });
}
