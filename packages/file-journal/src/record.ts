import { zlib } from './builtins.js';

let table: Int32Array | undefined;

/** CRC-32 (IEEE), for Node versions before 20.15 that lack zlib.crc32. */
export function crc32Js(data: Uint8Array): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

let native: ((data: Uint8Array) => number) | undefined;
const crc32 = (data: Uint8Array): number =>
  (native ??= (zlib() as { crc32?: (data: Uint8Array) => number }).crc32 ?? crc32Js)(data);

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * One line of the journal: the entry's JSON, a tab, the CRC-32 of the JSON's bytes in 8 hex
 * digits, a newline. JSON text never holds a raw tab or newline, so neither can be confused.
 */
export function encodeRecord(text: string): Buffer {
  const json = Buffer.from(text, 'utf8');
  const line = Buffer.allocUnsafe(json.length + 10);
  json.copy(line);
  line[json.length] = TAB;
  line.write(crc32(json).toString(16).padStart(8, '0'), json.length + 1, 'latin1');
  line[json.length + 9] = NEWLINE;
  return line;
}

/** What one complete line holds: its entry's JSON text, or why it is damaged. */
export type DecodedRecord = { ok: true; text: string; checked: boolean } | { ok: false; reason: string };

/**
 * Decodes one line (without its newline). A line with a checksum must match it; a line without
 * one (written before checksums) is accepted only when `legacyAllowed` (no checksummed line
 * came before it) and when it parses as JSON.
 */
export function decodeRecord(line: Buffer, legacyAllowed: boolean): DecodedRecord {
  const tab = line.lastIndexOf(TAB);
  if (tab >= 0) {
    const sum = line.subarray(tab + 1).toString('latin1');
    const json = line.subarray(0, tab);
    if (!/^[0-9a-f]{8}$/.test(sum)) return { ok: false, reason: 'malformed checksum' };
    if (crc32(json) !== parseInt(sum, 16)) return { ok: false, reason: 'checksum mismatch' };
    return { ok: true, text: json.toString('utf8'), checked: true };
  }
  const text = line.toString('utf8');
  if (!legacyAllowed) return { ok: false, reason: 'no checksum after checksummed lines' };
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  return { ok: true, text, checked: false };
}

/**
 * Walks the complete lines of `buffer` (up to its last newline), calling `onRecord` for each
 * non-empty one, and stops at the first damaged line. Returns where it stopped: the bytes and
 * lines consumed, and the damage if any.
 */
export function scanRecords(
  buffer: Buffer,
  state: { checkedSeen: boolean; line: number },
  onRecord: (text: string, start: number, end: number) => void,
): { consumed: number; damage?: { line: number; reason: string; at: number } } {
  let start = 0;
  for (;;) {
    const next = buffer.indexOf(NEWLINE, start);
    if (next < 0) return { consumed: start };
    if (next > start) {
      const record = decodeRecord(buffer.subarray(start, next), !state.checkedSeen);
      if (!record.ok)
        return { consumed: start, damage: { line: state.line + 1, reason: record.reason, at: start } };
      if (record.checked) state.checkedSeen = true;
      onRecord(record.text, start, next + 1);
    }
    state.line++;
    start = next + 1;
  }
}
