/**
 * The six STRIDE threat categories (seed document, "Threat analysis"). Each attack lives in a
 * top-level `describe` whose title starts with its category, e.g. `describe('Spoofing', …)` or
 * `describe('Tampering › output encoding', …)`; the summary reporter counts by that title.
 */
export const STRIDE_CATEGORIES = ['Spoofing', 'Tampering', 'Repudiation', 'Information disclosure', 'Denial of service', 'Elevation of privilege'] as const;
export type StrideCategory = (typeof STRIDE_CATEGORIES)[number];

export function strideCategoryOf(title: string): StrideCategory | null {
  return STRIDE_CATEGORIES.find((c) => title === c || title.startsWith(`${c} `)) ?? null;
}
