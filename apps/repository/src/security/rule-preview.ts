import { z } from 'zod';
import { RuleEngine, type RuleEntity } from '@trustzone/rules';
import type { SiteCache } from '../cache/site-cache';
import type { EntityService } from '../entities/entity-service';
import { LIMITS } from '../db';
import { parseWith } from '../rpc/json-body';
import { auditMatrix } from './audit-matrix';
import { explainDecision } from './explain';
import type { RequestAccess } from './request-access';
import { toRuleEntity } from './rule-engine-cache';
import { requireRuleReader } from './rule-reader';
import { assertRuleValid } from './rule-validation';

/** The id an unsaved new rule has in a preview (never stored: a preview writes nothing). */
export const UNSAVED_RULE_ID = '00000000-0000-4000-8000-00000000c0de';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const previewRequest = z.strictObject({
  rule: z.object({
    // The rule being edited (it is replaced in the preview) or none (a new rule is added).
    id: z.string().regex(GUID, 'must be a GUID').optional(),
    name: z.string().max(LIMITS.name).default(''),
    resourceFilter: z.string().max(LIMITS.text),
    rule: z.string().max(LIMITS.text),
    actions: z.number().int().min(0).max(2 ** 31 - 1),
    ruleContext: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
    disabled: z.boolean().default(false),
  }).passthrough(),
  audit: z.unknown().optional(),
  explain: z.strictObject({ user: z.string().max(600).default(''), resource: z.string().max(200), action: z.string().max(32) }).optional(),
});

/**
 * The rule editor's explain and audit matrix for the rule text being edited, before it is saved
 * (issue 22): the site's rule set with the candidate in place of the stored rule (or added), compiled
 * for this one call and dropped — nothing is stored, the cached rule set is untouched. The candidate
 * must compile as a save would require (same validation, same field errors). The caller needs Read
 * on the security rules, as for the explain and the matrix of the saved rules; the matrix is bounded
 * by the same evaluation budget, and the answer carries the saved rules' matrix next to the
 * candidate's so the page can show what the edit changes.
 */
export async function previewRule(cache: SiteCache, saved: RuleEngine, entities: EntityService, body: unknown, access: RequestAccess): Promise<string> {
  await requireRuleReader(access);
  const req = parseWith(previewRequest, body);
  const id = req.rule.id?.toLowerCase() ?? UNSAVED_RULE_ID;
  const candidate: RuleEntity = {
    id, name: req.rule.name || '(unsaved rule)', resourceFilter: req.rule.resourceFilter, rule: req.rule.rule,
    actions: req.rule.actions, ruleContext: req.rule.ruleContext, disabled: req.rule.disabled, type: 'Custom',
  };
  assertRuleValid(candidate);
  await cache.load(['SystemRule']);
  const others = [...cache.records('SystemRule').values()].filter((r) => r.id !== id).map(toRuleEntity);
  const engine = RuleEngine.compile([...others, candidate]);
  const out: Record<string, unknown> = { ruleId: id, replaces: req.rule.id !== undefined && cache.records('SystemRule').has(id) };
  if (req.explain) {
    out['explain'] = JSON.parse(await explainDecision(cache, engine, req.explain, access));
    out['explainSaved'] = JSON.parse(await explainDecision(cache, saved, req.explain, access));
  }
  if (req.audit !== undefined) {
    out['audit'] = JSON.parse(await auditMatrix(cache, engine, entities, req.audit, access));
    out['auditSaved'] = JSON.parse(await auditMatrix(cache, saved, entities, req.audit, access));
  }
  return JSON.stringify(out);
}
