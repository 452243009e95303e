import { AGGREGATE_FUNCTIONS } from './aggregate-functions';
import { CONDITIONAL_FUNCTIONS } from './conditional-functions';
import { DATE_FUNCTIONS } from './date-functions';
import type { FunctionDef } from './function-types';
import { NUMBER_FUNCTIONS } from './number-functions';
import { RECORD_FUNCTIONS } from './record-functions';
import { STRING_FUNCTIONS } from './string-functions';

/** Every script function by its canonical upper-case name (function names are case-insensitive). */
export const SCRIPT_FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>(
  Object.entries({ ...STRING_FUNCTIONS, ...NUMBER_FUNCTIONS, ...DATE_FUNCTIONS, ...CONDITIONAL_FUNCTIONS, ...RECORD_FUNCTIONS, ...AGGREGATE_FUNCTIONS }),
);
