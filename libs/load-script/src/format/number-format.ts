import { formatNumber } from '@trustzone/data-model';

/**
 * Qlik number format codes ("Conventions for number and time formats"): `0` a digit always
 * shown, `#` a digit shown when significant, the decimal and thousands separators *as the
 * caller defines them* (DecimalSep/ThousandSep or Num's arguments), `%` scales by 100, an
 * optional `;negative` section, any other text kept as is (`$#,##0.00`). Grouping uses the
 * distance from the last thousands separator to the decimal point. Radix and Roman formats
 * ((hex), (bin), (ROM)) are not supported: the format is then shown as the plain number.
 */
interface NumberPattern {
  prefix: string;
  suffix: string;
  minInt: number;
  group: number;
  minDec: number;
  maxDec: number;
  percent: boolean;
}

function pattern(section: string, dec: string, thou: string): NumberPattern | null {
  const isPatternChar = (ch: string) => ch === '0' || ch === '#' || (dec !== '' && ch === dec) || (thou !== '' && ch === thou);
  let first = -1;
  let last = -1;
  for (let i = 0; i < section.length; i++) {
    const ch = section[i]!;
    if (ch === '0' || ch === '#') {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return null;
  while (first > 0 && isPatternChar(section[first - 1]!) && section[first - 1] !== ' ') first--;
  while (last + 1 < section.length && isPatternChar(section[last + 1]!) && section[last + 1] !== ' ') last++;
  const body = section.slice(first, last + 1);
  const decAt = dec === '' ? -1 : body.indexOf(dec);
  const intPart = decAt < 0 ? body : body.slice(0, decAt);
  const decPart = decAt < 0 ? '' : body.slice(decAt + dec.length);
  const thouAt = thou === '' ? -1 : intPart.lastIndexOf(thou);
  const prefix = section.slice(0, first);
  const suffix = section.slice(last + 1);
  return {
    prefix,
    suffix,
    minInt: [...intPart].filter((c) => c === '0').length,
    group: thouAt < 0 ? 0 : intPart.length - thouAt - thou.length,
    minDec: [...decPart].filter((c) => c === '0').length,
    maxDec: [...decPart].filter((c) => c === '0' || c === '#').length,
    percent: (prefix + suffix).includes('%'),
  };
}

/** Round half away from zero to `digits` decimals, as displayed numbers are. */
function toFixed(n: number, digits: number): string {
  const factor = 10 ** digits;
  const rounded = Math.round(Math.abs(n) * factor + 1e-9) / factor;
  return rounded.toFixed(digits);
}

/** Text of `n` in `format`; without a format, the plain number with `dec` as decimal separator. */
export function formatNumberAs(n: number, format: string | null, dec: string, thou: string): string {
  if (format === null || format.trim() === '') return plain(n, dec);
  const sections = format.split(';');
  const negative = n < 0 && sections.length > 1;
  const section = negative ? sections[1]! : sections[0]!;
  const p = pattern(section, dec, thou);
  if (p === null) return section;
  const value = p.percent ? n * 100 : n;
  let [intDigits, decDigits = ''] = toFixed(value, p.maxDec).split('.');
  decDigits = decDigits!.replace(/0+$/, '');
  if (decDigits.length < p.minDec) decDigits = decDigits.padEnd(p.minDec, '0');
  intDigits = intDigits!.replace(/^0+/, '');
  if (intDigits.length < p.minInt) intDigits = intDigits.padStart(p.minInt, '0');
  if (p.group > 0 && thou !== '') intDigits = group(intDigits, p.group, thou);
  const isZero = /^0*$/.test(intDigits + decDigits);
  const sign = n < 0 && !negative && !isZero ? '-' : '';
  const body = intDigits + (decDigits.length > 0 ? dec + decDigits : '');
  return sign + p.prefix + (body === '' ? '0' : body) + p.suffix;
}

function group(digits: string, size: number, sep: string): string {
  let out = '';
  for (let end = digits.length; end > 0; end -= size) {
    const start = Math.max(0, end - size);
    out = digits.slice(start, end) + (out === '' ? '' : sep + out);
  }
  return out;
}

function plain(n: number, dec: string): string {
  const text = formatNumber(n);
  return dec === '.' ? text : text.replace('.', dec);
}

/**
 * The number `text` denotes under `format` and the separators, or null. Literal text of the
 * format (currency signs, units) may surround the digits; `%` divides by 100; a leading `-` or
 * the format's negative section gives a negative number.
 */
export function parseNumberAs(text: string, format: string | null, dec: string, thou: string): number | null {
  let t = text.trim();
  if (t === '') return null;
  let negative = false;
  let percent = false;
  if (format !== null && format.trim() !== '') {
    const sections = format.split(';');
    for (const [index, section] of sections.entries()) {
      const p = pattern(section, dec, thou);
      if (!p) continue;
      const pre = p.prefix.trim();
      const suf = p.suffix.trim();
      if ((pre === '' || t.startsWith(pre)) && (suf === '' || t.endsWith(suf)) && t.length > pre.length + suf.length) {
        t = t.slice(pre.length, t.length - suf.length).trim();
        negative = index === 1;
        percent = p.percent;
        break;
      }
    }
  }
  if (t.endsWith('%')) {
    percent = true;
    t = t.slice(0, -1).trim();
  }
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1).trim();
  } else if (t.startsWith('+')) {
    t = t.slice(1).trim();
  }
  if (thou !== '' && thou !== dec && t.includes(thou)) {
    // Thousands separators only where they group digits by three before the decimal separator.
    const [whole = '', ...rest] = t.split(dec);
    const groups = whole.split(thou);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return null;
    t = [groups.join(''), ...rest].join(dec);
  }
  if (dec !== '.') {
    if (t.includes('.')) return null;
    t = t.split(dec).join('.');
  }
  if (!/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  let n = Number(t);
  if (!Number.isFinite(n)) return null;
  if (percent) n /= 100;
  return negative ? -n : n;
}
