import { type AssociativeState, computeState, type DataModel, SelectionState, type View } from '@trustzone/data-model';
import type { OpenedApp } from './qix-session.types';
import { privateCell, type SelectionCell } from './shared-selections';
import { VariableBook } from './variable-book';
import { ObjectBook } from './objects/stored-object';
import type { PivotExpansion } from './pivot-layout';

/**
 * The open document of one session: the user's view of the app (reduction + OMIT, fixed at open)
 * and the session's selections inside it. The associative state is memoised per selection state,
 * so successive layouts after one selection share its propagation work.
 */
export class DocContext {
  /** Session objects by qId → handle. */
  readonly objectHandles = new Map<string, number>();
  /** Field handles by field name → handle (one handle per field and session). */
  readonly fieldHandles = new Map<string, number>();
  /** Variable handles by variable id → handle (one handle per variable and session). */
  readonly variableHandles = new Map<string, number>();
  /** Pivot expansion (ExpandLeft/CollapseLeft/…) per object id, this session's only (bounded by its handles). */
  readonly pivotExpansions = new Map<string, PivotExpansion>();
  /** Handles of persisted objects (generic, dimension, measure, bookmark) by object id. */
  readonly persistedHandles = new Map<string, number>();
  private book: VariableBook | null = null;
  private objectBook: ObjectBook | null = null;
  private storedObjectList: readonly Record<string, unknown>[] = [];
  /** The master items this user may read (for qLibraryId), as of `book` and `at` (objects/library-items.ts). */
  library: { book: ObjectBook; at: number; readable: ReadonlySet<string> } | null = null;
  private stored: readonly Record<string, unknown>[] = [];
  private memo: AssociativeState | null = null;
  private memoFor: SelectionState | null = null;
  private generated = 0;

  /** `cell` is shared with the other sockets of a Qlik identity; a plain session owns its own. */
  constructor(
    readonly app: OpenedApp,
    readonly handle: number,
    private readonly cell: SelectionCell = privateCell(),
    /** Told when this session changes the selections (a shared cell tells its other holders). */
    private readonly onChanged: () => void = () => undefined,
  ) {
    if (cell.model !== app.model) {
      cell.model = app.model;
      cell.selections = SelectionState.empty();
    }
  }

  get model(): DataModel {
    return this.app.model;
  }

  get view(): View {
    return this.app.view;
  }

  get selections(): SelectionState {
    return this.cell.selections;
  }

  set selections(next: SelectionState) {
    if (next === this.cell.selections) return;
    this.cell.selections = next;
    this.onChanged();
  }

  /** Recomputed when the selections changed, here or on another socket sharing the cell. */
  state(): AssociativeState {
    const current = this.cell.selections;
    if (this.memo === null || this.memoFor !== current) {
      this.memo = computeState(this.model, this.view, current);
      this.memoFor = current;
    }
    return this.memo;
  }

  /** The app's variables: persisted ones (as last read from the app file) and the script's. */
  get variables(): VariableBook {
    this.book ??= new VariableBook(this.stored, this.model.variables);
    return this.book;
  }

  /** The persisted variables as the app file holds them now (read again by the variable methods). */
  setStoredVariables(stored: readonly Record<string, unknown>[]): void {
    this.stored = stored;
    this.book = null;
  }

  get storedVariables(): readonly Record<string, unknown>[] {
    return this.stored;
  }

  /** The app's persisted objects (as last read from the app file). */
  get objects(): ObjectBook {
    this.objectBook ??= new ObjectBook(this.storedObjectList);
    return this.objectBook;
  }

  setStoredObjects(stored: readonly Record<string, unknown>[]): void {
    this.storedObjectList = stored;
    this.objectBook = null;
  }

  get storedObjects(): readonly Record<string, unknown>[] {
    return this.storedObjectList;
  }

  /** A fresh qId for a session object created without one. */
  nextObjectId(): string {
    this.generated += 1;
    return `session-object-${this.generated}`;
  }
}
