import { chartScalarCompiler } from '@trustzone/load-script';

/** The scalar functions of chart expressions: the load-script library, one implementation for both. */
export const CHART_SCALARS = chartScalarCompiler();
