import { fail, QvdErrorCode } from './qvd.error';
import { child, escapeXml, parseXml, type XmlElement } from './xml-element';

/** Display hints of a field (QvdFieldHeader/NumberFormat); they never change how bytes decode. */
export interface QvdNumberFormat {
  type: string;
  nDec: number;
  useThou: number;
  fmt: string;
  dec: string;
  thou: string;
}

export interface QvdFieldHeader {
  name: string;
  bitOffset: number;
  bitWidth: number;
  bias: number;
  noOfSymbols: number;
  /** Byte offset and length of the field's symbol table inside the body. */
  offset: number;
  length: number;
  numberFormat: QvdNumberFormat;
  tags: string[];
  comment: string;
}

export interface QvdHeader {
  tableName: string;
  fields: QvdFieldHeader[];
  recordByteSize: number;
  noOfRecords: number;
  /** Byte offset and length of the index table inside the body. */
  offset: number;
  length: number;
  qvBuildNo: string;
  createUtcTime: string;
  creatorDoc: string;
}

export const DEFAULT_NUMBER_FORMAT: Readonly<QvdNumberFormat> = Object.freeze({ type: 'UNKNOWN', nDec: 0, useThou: 0, fmt: '', dec: '', thou: '' });

const text = (e: XmlElement | undefined): string => e?.text ?? '';

function integer(e: XmlElement, name: string, where: string, min: number, max: number): number {
  const raw = text(child(e, name)).trim();
  if (!/^-?\d{1,16}$/.test(raw)) fail(QvdErrorCode.Header, `${where}: <${name}> is missing or not an integer`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(QvdErrorCode.Layout, `${where}: <${name}> ${raw} is out of range`);
  return n;
}

function optionalInteger(e: XmlElement | undefined, name: string): number {
  const raw = e ? text(child(e, name)).trim() : '';
  return /^-?\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

const MAX_COUNT = 2 ** 31 - 1;

function fieldHeader(e: XmlElement, index: number): QvdFieldHeader {
  const name = text(child(e, 'FieldName'));
  const where = `field ${index + 1} ("${name.slice(0, 64)}")`;
  if (name === '') fail(QvdErrorCode.Header, `field ${index + 1} has no <FieldName>`);
  const nf = child(e, 'NumberFormat');
  const tags = child(e, 'Tags')?.children.filter((c) => c.name === 'String').map((c) => c.text) ?? [];
  return {
    name,
    bitOffset: integer(e, 'BitOffset', where, 0, MAX_COUNT),
    bitWidth: integer(e, 'BitWidth', where, 0, 32),
    bias: integer(e, 'Bias', where, -MAX_COUNT, 0),
    noOfSymbols: integer(e, 'NoOfSymbols', where, 0, MAX_COUNT),
    offset: integer(e, 'Offset', where, 0, Number.MAX_SAFE_INTEGER),
    length: integer(e, 'Length', where, 0, Number.MAX_SAFE_INTEGER),
    numberFormat: {
      type: text(child(nf ?? e, 'Type')) || 'UNKNOWN',
      nDec: optionalInteger(nf, 'nDec'),
      useThou: optionalInteger(nf, 'UseThou'),
      fmt: nf ? text(child(nf, 'Fmt')) : '',
      dec: nf ? text(child(nf, 'Dec')) : '',
      thou: nf ? text(child(nf, 'Thou')) : '',
    },
    tags,
    comment: text(child(e, 'Comment')),
  };
}

/** Reads the header's XML text into the values a reader needs; malformed numbers are refused. */
export function parseHeaderXml(xml: string): QvdHeader {
  const root = parseXml(xml);
  if (root.name !== 'QvdTableHeader') fail(QvdErrorCode.Header, `the header root is <${root.name}>, not <QvdTableHeader>`);
  const compression = text(child(root, 'Compression')).trim();
  if (compression !== '') fail(QvdErrorCode.Unsupported, `compressed QVD files (<Compression>${compression.slice(0, 32)}</Compression>) are not supported`);
  const fieldsElement = child(root, 'Fields');
  if (!fieldsElement) fail(QvdErrorCode.Header, 'the header has no <Fields>');
  const fields = fieldsElement.children.filter((c) => c.name === 'QvdFieldHeader').map(fieldHeader);
  return {
    tableName: text(child(root, 'TableName')),
    fields,
    recordByteSize: integer(root, 'RecordByteSize', 'table', 0, 1 << 16),
    noOfRecords: integer(root, 'NoOfRecords', 'table', 0, MAX_COUNT),
    offset: integer(root, 'Offset', 'table', 0, Number.MAX_SAFE_INTEGER),
    length: integer(root, 'Length', 'table', 0, Number.MAX_SAFE_INTEGER),
    qvBuildNo: text(child(root, 'QvBuildNo')),
    createUtcTime: text(child(root, 'CreateUtcTime')),
    creatorDoc: text(child(root, 'CreatorDoc')),
  };
}

const el = (indent: string, name: string, value: string | number): string => `${indent}<${name}>${escapeXml(String(value))}</${name}>\r\n`;

/**
 * The header as Qlik lays it out (CRLF lines, every element Qlik writes, in Qlik's order), so
 * Qlik and other readers find what they expect.
 */
export function headerXml(h: QvdHeader): string {
  let s = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<QvdTableHeader>\r\n';
  s += el('  ', 'QvBuildNo', h.qvBuildNo);
  s += el('  ', 'CreatorDoc', h.creatorDoc);
  s += el('  ', 'CreateUtcTime', h.createUtcTime);
  s += el('  ', 'SourceCreateUtcTime', '') + el('  ', 'SourceFileUtcTime', '') + el('  ', 'SourceFileSize', -1) + el('  ', 'StaleUtcTime', '');
  s += el('  ', 'TableName', h.tableName);
  s += '  <Fields>\r\n';
  for (const f of h.fields) {
    const i = '      ';
    s += '    <QvdFieldHeader>\r\n';
    s += el(i, 'FieldName', f.name) + el(i, 'BitOffset', f.bitOffset) + el(i, 'BitWidth', f.bitWidth) + el(i, 'Bias', f.bias);
    s += `${i}<NumberFormat>\r\n`;
    const n = f.numberFormat;
    s += el(`${i}  `, 'Type', n.type) + el(`${i}  `, 'nDec', n.nDec) + el(`${i}  `, 'UseThou', n.useThou) + el(`${i}  `, 'Fmt', n.fmt) + el(`${i}  `, 'Dec', n.dec) + el(`${i}  `, 'Thou', n.thou);
    s += `${i}</NumberFormat>\r\n`;
    s += el(i, 'NoOfSymbols', f.noOfSymbols) + el(i, 'Offset', f.offset) + el(i, 'Length', f.length) + el(i, 'Comment', f.comment);
    s += f.tags.length === 0 ? `${i}<Tags></Tags>\r\n` : `${i}<Tags>\r\n${f.tags.map((t) => el(`${i}  `, 'String', t)).join('')}${i}</Tags>\r\n`;
    s += '    </QvdFieldHeader>\r\n';
  }
  s += '  </Fields>\r\n';
  s += el('  ', 'Compression', '') + el('  ', 'RecordByteSize', h.recordByteSize) + el('  ', 'NoOfRecords', h.noOfRecords);
  s += el('  ', 'Offset', h.offset) + el('  ', 'Length', h.length);
  s += '  <Lineage></Lineage>\r\n' + el('  ', 'Comment', '') + el('  ', 'EncryptionInfo', '') + '  <TableTags></TableTags>\r\n' + el('  ', 'ProfilingData', '');
  s += '</QvdTableHeader>\r\n';
  return s;
}
