/**
 * How a loaded cell becomes a dual value (text + number), as the associative model stores it.
 * A text that reads as a plain decimal number is numeric but keeps its spelling ("007" → qText
 * "007", qNum 7), and two spellings of the same number are one value (the first spelling wins),
 * so keys loaded as text in one table and as numbers in another still associate.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Digits a double holds exactly; longer texts (big ids) would collide and stay texts. */
const MAX_SIGNIFICANT_DIGITS = 15;

/**
 * The number a text denotes, or NaN. No hex, no "Infinity", no surrounding spaces, and no more
 * than 15 significant digits: "12345678901234567890" and "…891" are different ids, but the same
 * double, so reading them as numbers would merge two values into one symbol.
 */
export function parseNumericText(text: string): number {
  if (text.length === 0 || text.length > 64 || !DECIMAL.test(text)) return Number.NaN;
  const mantissa = text.replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '');
  const significant = mantissa.replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length > MAX_SIGNIFICANT_DIGITS) return Number.NaN;
  const n = Number(text);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** qText of a number: integers exactly, others with 14 significant digits (no float noise). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const plain = String(n);
  // Short forms carry no float noise (1234.5); only long ones like 0.30000000000000004 are
  // rounded, which keeps the common case to one conversion.
  if (plain.length <= 14 || (Number.isInteger(n) && Math.abs(n) < 1e21)) return plain;
  return String(Number.parseFloat(n.toPrecision(14)));
}

/** Text shown for a null value (QIX shows "-"). */
export const NULL_TEXT = '-';
