// Errors
export { RulesError, RulesErrorCode, isRulesError } from './rules.error';
export { RuleParseError } from './rule-parse.error';

// Model
export type { ActionName } from './model/action-bits';
export { ACTION_BITS, ACTION_NAMES, ALL_ACTIONS_MASK, actionBit, actionNamesOf, actionDisplayName, requireActionBit } from './model/action-bits';
export type { RuleContextCode, RuleEntity, RuleProblem, RuleType } from './model/rule-entity';
export type { RequestContext, Resource, User, UserRef, Values } from './model/subject';
export { CONTEXT_ATTRIBUTE, RESOURCE_PROPERTY_NAMES, RESOURCE_TYPES } from './model/subject';
export type { Decision, DenyReason, RuleFailure } from './model/decision';
export { assertNever } from './model/decision';

// Condition language
export type { CallExpr, CompareExpr, CompareOp, Expr, Operand, PathOperand, StringOperand } from './condition/condition-ast';
export { CONDITION_LIMITS, parseCondition } from './condition/condition-parser';
export { printCondition, printExpr } from './condition/condition-printer';
export type { FilterEntry } from './resource-filter/resource-filter';
export { filterMatches, parseResourceFilter, printResourceFilter } from './resource-filter/resource-filter';
export type { RegexMatcher } from './regex/regex-matcher';
export { compileRegex } from './regex/regex-matcher';
export { REGEX_LIMITS } from './regex/regex-parser';

// Engine
export { RuleEngine } from './engine/rule-engine';
export type { RuleEngineOptions } from './engine/rule-engine';
export { PreparedRequest } from './engine/prepared-request';
export { validateRule } from './engine/compiled-rule';
export type { Explanation, RuleVerdict } from './engine/explain';
export type { AuditCell, AuditError, AuditGrant, AuditInput, AuditResult } from './engine/audit';
export { AUDIT_MAX_EVALUATIONS } from './engine/audit';

// Shipped rules
export type { ShippedRuleOptions } from './shipped/shipped-rules';
export { shippedRules, SHIPPED_RULE_EARLIER_FORMS, SERVICE_ACCOUNTS, SERVICE_ACCOUNT_DIRECTORY } from './shipped/shipped-rules';

// `/qrs` filter language
export * from './qrs-filter/index';
