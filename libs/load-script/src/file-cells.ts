import type { Cell, DualCell } from '@trustzone/data-model';
import { textToCell } from './cell-value';

/** A cell as file readers produce it: QVD symbols and formatted spreadsheet numbers are duals. */
export type FileCell = Cell | DualCell;

/**
 * The model cell for a file cell. While the model's `Cell` has no dual values, a dual loads as its
 * text under the loader's number rule (so `{1, "1"}` is 1 and a date stays its text); once `Cell`
 * includes `DualCell` this is the identity.
 */
export function toModelCell(c: FileCell): Cell {
  return c !== null && typeof c === 'object' ? textToCell(c.text) : c;
}
