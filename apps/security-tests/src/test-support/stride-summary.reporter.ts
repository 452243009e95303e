import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { STRIDE_CATEGORIES, strideCategoryOf, type StrideCategory } from './stride';

type Tally = { passed: number; failed: number; skipped: number };

/** The STRIDE category of a test: the title of its outermost suite names it. */
function categoryOf(test: TestCase): StrideCategory | null {
  let title: string | null = null;
  for (let p: TestCase['parent'] = test.parent; p.type === 'suite'; p = p.parent) title = p.name;
  return title === null ? null : strideCategoryOf(title);
}

/**
 * Prints, after every run, how many attacks of each STRIDE category ran and how they ended, so
 * `npm run test:security` shows the coverage per category (a category with no test shows 0).
 */
export class StrideSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tally = new Map<StrideCategory | 'other', Tally>([...STRIDE_CATEGORIES, 'other' as const].map((c) => [c, { passed: 0, failed: 0, skipped: 0 }]));
    for (const m of modules) {
      // A failed hook (e.g. the site did not start) leaves the file's tests unrun: count them failed.
      const moduleFailed = m.state() === 'failed';
      for (const t of m.children.allTests()) {
        const row = tally.get(categoryOf(t) ?? 'other') as Tally;
        const state = t.result().state === 'skipped' && moduleFailed ? 'failed' : t.result().state;
        if (state === 'passed') row.passed++;
        else if (state === 'failed') row.failed++;
        else row.skipped++;
      }
    }
    const lines = ['', 'STRIDE summary (tests per category: passed / failed / skipped)'];
    for (const [c, r] of tally) {
      if (c === 'other' && r.passed + r.failed + r.skipped === 0) continue;
      lines.push(`  ${c.padEnd(24)} ${String(r.passed + r.failed + r.skipped).padStart(4)}  (${r.passed} / ${r.failed} / ${r.skipped})`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
}
