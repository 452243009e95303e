import { type AssociativeState, computeState, type DataModel, SelectionState, type View } from '@trustzone/data-model';
import type { OpenedApp } from './qix-session.types';

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
  private current = SelectionState.empty();
  private memo: AssociativeState | null = null;
  private generated = 0;

  constructor(
    readonly app: OpenedApp,
    readonly handle: number,
  ) {}

  get model(): DataModel {
    return this.app.model;
  }

  get view(): View {
    return this.app.view;
  }

  get selections(): SelectionState {
    return this.current;
  }

  set selections(next: SelectionState) {
    if (next === this.current) return;
    this.current = next;
    this.memo = null;
  }

  state(): AssociativeState {
    this.memo ??= computeState(this.model, this.view, this.current);
    return this.memo;
  }

  /** A fresh qId for a session object created without one. */
  nextObjectId(): string {
    this.generated += 1;
    return `session-object-${this.generated}`;
  }
}
