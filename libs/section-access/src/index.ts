export { DenyCode, SectionAccessError, SectionAccessErrorCode } from './section-access.error';
export { SYSTEM_COLUMNS, validateSecurityTable, type ReductionColumn, type SecurityTableInfo } from './security-table';
export { matchingRows, normalizeUser, type NormalizedIdentity, type SectionAccessUser } from './row-matcher';
export { reduce, type ReductionResult } from './reduction';
export { accessName, omitFieldNames, reductionFieldName, unknownOmitMessage, unknownReductionMessage } from './field-names';
