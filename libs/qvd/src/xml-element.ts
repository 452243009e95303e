import { fail, QvdErrorCode } from './qvd.error';

/** An element of the QVD header: a name, its text content and its child elements, in order. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

const MAX_DEPTH = 32;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.-]*/;

function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  // Every '&' must start one of XML's five entities or a character reference; anything else is refused.
  return raw.replace(/&([^;&<]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) fail(QvdErrorCode.Header, 'a bare "&" in the QVD header');
    if (/^#x[0-9a-fA-F]{1,6}$|^#[0-9]{1,7}$/.test(ref)) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) fail(QvdErrorCode.Header, `invalid character reference ${whole} in the QVD header`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[ref];
    if (value === undefined) fail(QvdErrorCode.Header, `unknown entity ${whole.slice(0, 16)} in the QVD header`);
    return value;
  });
}

/**
 * Parses the QVD header: plain elements, text, comments and the XML declaration. Anything a QVD
 * header never contains — DOCTYPE, entity declarations, CDATA, processing instructions past the
 * declaration — is refused rather than interpreted, so no entity expansion can happen. Attributes
 * are skipped (Qlik writes none). Nesting is bounded.
 */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      if (text.slice(i).trim() !== '') fail(QvdErrorCode.Header, 'text after the end of the QVD header');
      break;
    }
    if (lt > i) {
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(text.slice(i, lt));
      else if (text.slice(i, lt).trim() !== '') fail(QvdErrorCode.Header, 'text outside the root element of the QVD header');
    }
    if (text.startsWith('<?', lt)) {
      if (root !== null || stack.length > 0 || !text.startsWith('<?xml', lt)) fail(QvdErrorCode.Header, 'unexpected processing instruction in the QVD header');
      const end = text.indexOf('?>', lt);
      if (end < 0) fail(QvdErrorCode.Header, 'unterminated XML declaration');
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail(QvdErrorCode.Header, 'unterminated comment in the QVD header');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!', lt)) fail(QvdErrorCode.Header, 'DOCTYPE, entity declarations and CDATA are not allowed in a QVD header');
    const close = text.indexOf('>', lt);
    if (close < 0) fail(QvdErrorCode.Header, 'unterminated tag in the QVD header');
    const inner = text.slice(lt + 1, close);
    i = close + 1;
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(QvdErrorCode.Header, `mismatched closing tag </${name}> in the QVD header`);
      if (stack.length === 0) root = open;
      continue;
    }
    const selfClosing = inner.endsWith('/');
    const name = NAME.exec(inner)?.[0];
    if (!name) fail(QvdErrorCode.Header, 'malformed tag in the QVD header');
    if (root !== null) fail(QvdErrorCode.Header, 'more than one root element in the QVD header');
    const element: XmlElement = { name, text: '', children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    if (selfClosing) {
      if (!parent) root = element;
      continue;
    }
    stack.push(element);
    if (stack.length > MAX_DEPTH) fail(QvdErrorCode.Header, 'QVD header nests too deeply');
  }
  if (stack.length > 0) fail(QvdErrorCode.Header, `unclosed element <${stack[stack.length - 1]!.name}> in the QVD header`);
  if (!root) fail(QvdErrorCode.Header, 'the QVD header has no root element');
  return root;
}

export function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}
