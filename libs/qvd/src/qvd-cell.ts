import { dualCell, isDualCell, type Cell, type DualCell } from '@trustzone/data-model';

/**
 * A cell as the codec reads and writes it — the data model's cell: a number (QVD symbol types 1
 * and 2), a text (type 4), a dual value (types 5 and 6: a number with the text it is shown as,
 * e.g. dates) or null. QVD duals reach the model as duals, so dates stay dates.
 */
export type QvdCell = Cell;

export { dualCell, isDualCell, type DualCell };
