/**
 * A second QVD reader, written for the tests straight from the published description of the
 * format and sharing no code with the codec: regular expressions over the XML header, a BigInt per
 * record for the bit fields, a byte loop per symbol. Slow and simple on purpose — it is the peer
 * that says whether what trustzone writes is a QVD that someone else can read.
 */
export type PeerValue = null | { kind: 'int' | 'double'; num: number } | { kind: 'text'; text: string } | { kind: 'dual'; num: number; text: string };

export interface PeerTable {
  tableName: string;
  fields: { name: string; bias: number; bitWidth: number; tags: string[] }[];
  rows: PeerValue[][];
}

function tag(xml: string, name: string): string {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) throw new Error(`missing <${name}>`);
  return m[1]!;
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export function readQvdIndependently(file: Uint8Array): PeerTable {
  const latin = Buffer.from(file).toString('latin1');
  const end = latin.indexOf('</QvdTableHeader>') + '</QvdTableHeader>'.length;
  const xml = Buffer.from(file.subarray(0, end)).toString('utf8');
  let bodyAt = end;
  while (file[bodyAt] === 13 || file[bodyAt] === 10) bodyAt++;
  if (file[bodyAt] === 0) bodyAt++;
  const body = Buffer.from(file.subarray(bodyAt));
  const fieldsXml = tag(xml, 'Fields');
  const fieldBlocks = [...fieldsXml.matchAll(/<QvdFieldHeader>([\s\S]*?)<\/QvdFieldHeader>/g)].map((m) => m[1]!);
  const tail = xml.slice(xml.indexOf('</Fields>'));
  const recordSize = Number(tag(tail, 'RecordByteSize'));
  const records = Number(tag(tail, 'NoOfRecords'));
  const indexOffset = Number(tag(tail, 'Offset'));
  const fields = fieldBlocks.map((b) => {
    const offset = Number(tag(b, 'Offset'));
    const length = Number(tag(b, 'Length'));
    const count = Number(tag(b, 'NoOfSymbols'));
    const symbols: PeerValue[] = [];
    let p = offset;
    const str = (): string => {
      const start = p;
      while (body[p] !== 0) p++;
      return body.toString('utf8', start, p++);
    };
    for (let i = 0; i < count; i++) {
      const type = body[p++];
      if (type === 1) { symbols.push({ kind: 'int', num: body.readInt32LE(p) }); p += 4; }
      else if (type === 2) { symbols.push({ kind: 'double', num: body.readDoubleLE(p) }); p += 8; }
      else if (type === 4) symbols.push({ kind: 'text', text: str() });
      else if (type === 5) { const num = body.readInt32LE(p); p += 4; symbols.push({ kind: 'dual', num, text: str() }); }
      else if (type === 6) { const num = body.readDoubleLE(p); p += 8; symbols.push({ kind: 'dual', num, text: str() }); }
      else throw new Error(`symbol type ${type}`);
    }
    if (p !== offset + length) throw new Error(`field symbol table length mismatch (${p - offset} vs ${length})`);
    const tags = [...(/<Tags>([\s\S]*?)<\/Tags>/.exec(b)?.[1] ?? '').matchAll(/<String>(.*?)<\/String>/g)].map((m) => m[1]!);
    return { name: unescape(tag(b, 'FieldName')), bitOffset: Number(tag(b, 'BitOffset')), bitWidth: Number(tag(b, 'BitWidth')), bias: Number(tag(b, 'Bias')), symbols, tags };
  });
  const rows: PeerValue[][] = [];
  for (let r = 0; r < records; r++) {
    let record = 0n;
    for (let k = recordSize - 1; k >= 0; k--) record = (record << 8n) | BigInt(body[indexOffset + r * recordSize + k]!);
    rows.push(fields.map((f) => {
      const stored = Number((record >> BigInt(f.bitOffset)) & ((1n << BigInt(f.bitWidth)) - 1n));
      const index = stored + f.bias;
      if (index < 0) return null;
      const v = f.symbols[index];
      if (v === undefined) throw new Error(`row ${r} field ${f.name}: index ${index} out of range`);
      return v;
    }));
  }
  return { tableName: unescape(tag(xml, 'TableName')), fields: fields.map(({ name, bias, bitWidth, tags }) => ({ name, bias, bitWidth, tags })), rows };
}
