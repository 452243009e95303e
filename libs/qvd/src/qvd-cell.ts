import { dualCell, isDualCell, type DualCell } from '@trustzone/data-model';

/**
 * A cell as the codec reads and writes it: a number (QVD symbol types 1 and 2), a text (type 4),
 * a dual value (types 5 and 6: a number with the text it is shown as, e.g. dates) or null. Kept
 * apart from data-model's `Cell` until that type carries duals itself.
 */
export type QvdCell = string | number | DualCell | null;

export { dualCell, isDualCell, type DualCell };
