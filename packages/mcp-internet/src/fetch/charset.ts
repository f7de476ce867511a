// Text decoding for fetched bodies: the charset from the BOM, then the Content-Type header, then
// (for HTML) a <meta> in the first 1024 bytes, else UTF-8; decoded exactly, windows-1252 included.

// What 0x80–0x9F mean in windows-1252 (WHATWG Encoding, index-windows-1252). Node 20's
// TextDecoder decodes them as C1 control characters instead (ISO-8859-1).
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\u0080-\u009f]/g;
// Checked once: a Node whose TextDecoder gets this right needs no fix.
const needsFix = new TextDecoder('windows-1252').decode(Uint8Array.of(0x80)) !== '\u20ac';

/** The decoder's canonical name for a label, or undefined when it knows no such encoding. */
export function canonicalEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset parameter of a Content-Type value. */
export function headerCharset(contentType: string | null | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

function bomEncoding(bytes: Uint8Array): { encoding: string; skip: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  return undefined;
}

/** The charset a `<meta charset>` or `<meta http-equiv=content-type>` declares in the first 1024 bytes. */
export function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag);
    if (direct) return direct[1];
  }
  return undefined;
}

/** Decodes with `encoding` (a canonical name), fixing windows-1252's 0x80–0x9F where Node needs it. */
export function decodeAs(bytes: Uint8Array, encoding: string, fatal = false): string {
  const text = new TextDecoder(encoding, { fatal, ignoreBOM: false }).decode(bytes);
  return encoding === 'windows-1252' && needsFix
    ? text.replace(C1, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!))
    : text;
}

/**
 * Decodes a body: the BOM wins, then the header's charset, then (when `html`) a <meta> charset,
 * then UTF-8. A body that is not valid UTF-8 although taken as such (no or a wrong declaration)
 * is read as windows-1252, as browsers read undeclared Western pages. Returns the encoding used.
 */
export function decodeBody(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  html: boolean,
): { text: string; encoding: string } {
  const bom = bomEncoding(bytes);
  if (bom) return { text: decodeAs(bytes.subarray(bom.skip), bom.encoding), encoding: bom.encoding };
  const declared = headerCharset(contentType) ?? (html ? metaCharset(bytes) : undefined);
  const encoding = (declared && canonicalEncoding(declared)) ?? 'utf-8';
  if (encoding === 'utf-8') {
    try {
      return { text: decodeAs(bytes, 'utf-8', true), encoding };
    } catch {
      return { text: decodeAs(bytes, 'windows-1252'), encoding: 'windows-1252' };
    }
  }
  // A UTF-16 label in a <meta> is a mislabel (the bytes could not have been read as ASCII).
  if (encoding.startsWith('utf-16') && !headerCharset(contentType)) {
    return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8' };
  }
  return { text: decodeAs(bytes, encoding), encoding };
}
