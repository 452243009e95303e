import { z } from 'zod';
import type { SecurityRuleInput, SecurityRuleRecord } from '../../db';
import { systemRuleSnapshot } from '../../security/resource-snapshots';
import { assertRuleValid } from '../../security/rule-validation';
import { toRuleEntity } from '../../security/rule-engine-cache';
import { precondition } from '../../errors/service-errors';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, LONG, modifiedDate, NAME, readOnly, refuseChange, SHORT } from '../body-fields';
import type { EntityKind } from '../entity-kind';
import { metaJson } from '../qrs-json';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  category: SHORT.optional(),
  type: z.enum(['Default', 'ReadOnly', 'Custom']).optional(),
  resourceFilter: z.string().max(4096).optional(),
  rule: LONG.optional(),
  actions: z.number().int().optional(),
  ruleContext: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  disabled: z.boolean().optional(),
  comment: LONG.optional(),
  seedId: readOnly,
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

/** Security rules. Shipped ReadOnly rules never change; new rules are Custom. */
export const systemRuleKind: EntityKind<SecurityRuleRecord> = {
  type: 'systemrule',
  resourceType: 'SystemRule',
  needs: ['SystemRule'],
  condensed: ['id', 'name', 'category', 'type', 'disabled'],

  snapshot: (_cache, r) => systemRuleSnapshot(r),

  json: (_cache, r) => ({
    ...metaJson(r),
    name: r.name,
    category: r.category,
    type: r.type,
    resourceFilter: r.resourceFilter,
    rule: r.rule,
    actions: r.actions,
    ruleContext: r.ruleContext,
    disabled: r.disabled,
    comment: r.comment,
    seedId: r.seedId,
  }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.type !== undefined && b.type !== 'Custom') refuseChange('type', "new rules are 'Custom'");
    const now = new Date();
    const record: SecurityRuleRecord = {
      id: newId, createdDate: now, modifiedDate: now, modifiedByUserName: w.actor.name, name: b.name ?? '', category: b.category ?? 'Security', type: 'Custom',
      resourceFilter: b.resourceFilter ?? '', rule: b.rule ?? '', actions: b.actions ?? 0, ruleContext: b.ruleContext ?? 0, disabled: b.disabled ?? false, comment: b.comment ?? '', seedId: null,
    };
    assertRuleValid(toRuleEntity(record));
    const input: SecurityRuleInput & { id: string } = {
      id: newId, name: record.name, category: record.category, type: 'Custom', resourceFilter: record.resourceFilter, rule: record.rule,
      actions: record.actions, ruleContext: record.ruleContext, disabled: record.disabled, comment: record.comment,
    };
    return { wouldBe: systemRuleSnapshot(record), checks: [], commit: (by) => w.stores.securityRules.create(input, by) };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    if (b.type !== undefined && b.type !== current.type) refuseChange('type', 'cannot change');
    const patch: Partial<SecurityRuleInput> = {};
    for (const k of ['name', 'category', 'resourceFilter', 'rule', 'actions', 'ruleContext', 'disabled', 'comment'] as const) {
      if (b[k] !== undefined) Object.assign(patch, { [k]: b[k] });
    }
    assertRuleValid(toRuleEntity({ ...current, ...patch } as SecurityRuleRecord));
    return { wouldBe: systemRuleSnapshot(current), checks: [], commit: (by) => w.stores.securityRules.update(current.id, b.modifiedDate, patch, by) };
  },

  guardWrite(current, op) {
    if (current.type === 'ReadOnly') throw precondition(`shipped read-only rule '${current.name}' cannot be ${op === 'update' ? 'changed' : 'deleted'}`);
  },

  remove: (stores, id) => stores.securityRules.delete(id),
};
