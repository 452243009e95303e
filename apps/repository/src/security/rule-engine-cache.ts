import type { Logger } from '@trustzone/logging';
import { RuleEngine, type RuleEntity } from '@trustzone/rules';
import type { SecurityRuleRecord } from '../db';
import type { SiteCache } from '../cache/site-cache';

export function toRuleEntity(r: SecurityRuleRecord): RuleEntity {
  return { id: r.id, name: r.name, resourceFilter: r.resourceFilter, rule: r.rule, actions: r.actions, ruleContext: r.ruleContext, disabled: r.disabled, type: r.type, category: r.category, comment: r.comment };
}

/**
 * The compiled rule set, kept until a SystemRule changes (compiling is the expensive part; every
 * request then only evaluates). A stored rule that does not compile grants nothing and is logged:
 * saving such a rule is refused, so one only appears through direct database edits.
 */
export class RuleEngineCache {
  private engine: RuleEngine | undefined;
  private compiles = 0;

  constructor(
    private readonly cache: SiteCache,
    private readonly logger: Logger,
  ) {
    cache.onChange((type) => {
      if (type === 'SystemRule') this.engine = undefined;
    });
  }

  async get(): Promise<RuleEngine> {
    if (this.engine) return this.engine;
    await this.cache.load(['SystemRule']);
    // Synchronous from here: no write can slip between reading the records and installing the engine.
    const engine = RuleEngine.compile([...this.cache.records('SystemRule').values()].map(toRuleEntity));
    this.compiles++;
    for (const p of engine.problems) {
      this.logger.warn('security rule problem', { ruleId: p.ruleId, field: p.field, severity: p.severity, code: p.code, message: p.message });
    }
    this.engine = engine;
    return engine;
  }

  /** How many times the rule set was compiled (a spec proves it is cached, not rebuilt per call). */
  get compileCount(): number {
    return this.compiles;
  }
}
