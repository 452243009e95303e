import { AppStoreError, AppStoreErrorCode } from '@trustzone/app-store';
import { ErrorCode, ServiceError, type CallContext, type RepositoryDefinition, type TrustZoneClient } from '@trustzone/contracts';
import type { AppLibrary } from '../apps/app-library';
import { type PreviewSubject, sectionAccessPreview } from '../apps/section-access-gate';

interface PreviewDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  deadlineMs: number;
}

interface PreviewRequest {
  appId: string;
  userDirectory: string;
  userId: string;
  group: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * PreviewSectionAccess: the repository decides first (admin-only, audited, and it answers whom to
 * preview: a stored user's groups come from the repository as for a real app open), then the engine
 * reduces the app's model with the code real sessions use. The answer holds counts and field
 * names, never a value.
 */
export function previewHandler(d: PreviewDeps) {
  return async (req: PreviewRequest, ctx: CallContext): Promise<{ json: string }> => {
    if (!GUID.test(req.appId)) throw new ServiceError(ErrorCode.InvalidArgument, 'appId must be a lower-case GUID', { field: 'appId' });
    const answer = await d.repository.unary('AuthorizeSectionAccessPreview', req, { deadlineMs: d.deadlineMs, user: ctx.user! });
    const auth = JSON.parse(answer.json) as { appId: string; name: string; subject: PreviewSubject };
    let model;
    try {
      model = await d.library.open(req.appId);
    } catch (e) {
      // Never reloaded: nothing to reduce yet, which the page says rather than failing.
      if (e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound) return { json: JSON.stringify({ app: { id: auth.appId, name: auth.name }, subject: auth.subject, loaded: false }) };
      throw e;
    }
    return { json: JSON.stringify({ app: { id: auth.appId, name: auth.name }, subject: auth.subject, loaded: true, ...sectionAccessPreview(model, auth.subject) }) };
  };
}
