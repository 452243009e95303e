import fc from 'fast-check';

/**
 * Property tests explore random inputs locally (a new seed per run; fast-check prints it on failure so
 * any counterexample can be replayed with TZ_FC_SEED). In CI the seed is fixed, so a landing is
 * reproducible; `npm run fuzz` is where long random exploration happens.
 */
const fixed = process.env['TZ_FC_SEED'] ?? (process.env['CI'] ? '20261127' : undefined);
if (fixed !== undefined) fc.configureGlobal({ seed: Number(fixed) });
