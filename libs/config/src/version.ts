/** The product version, reported by Health and /qrs/about (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
