import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../tools/vitest.base';
import { StrideSummaryReporter } from './src/test-support/stride-summary.reporter';

// The shared project settings (copied from apps/proxy); mergeConfig appends to the base reporters a
// reporter that prints the attack counts per STRIDE category at the end of the run.
export default mergeConfig(projectTestConfig(), { test: { reporters: [new StrideSummaryReporter()] } });
