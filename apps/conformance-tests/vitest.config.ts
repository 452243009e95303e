import { projectTestConfig } from '../../tools/vitest.base';

// Whole sites as real processes: one file at a time on a shared machine.
export default projectTestConfig({ testTimeout: 120_000, fileParallelism: false });
