import { decodeAs, decodeBody, headerCharset, metaCharset } from './charset.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('decodeBody', () => {
  it('windows-1252 0x80–0x9F are the characters the standard maps them to, not C1 controls', () => {
    expect(decodeAs(bytes(0x80, 0x82, 0x85, 0x8a, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f), 'windows-1252')).toBe(
      '€‚…Š“”–—™Ÿ',
    );
    // Latin-1 labels mean windows-1252 in the Encoding standard, so they get the same fix.
    expect(decodeBody(bytes(0x93, 0x41, 0x94), 'text/plain; charset=iso-8859-1', false)).toEqual({
      text: '“A”',
      encoding: 'windows-1252',
    });
  });

  it('the BOM wins over the header; the header wins over <meta>', () => {
    expect(decodeBody(bytes(0xef, 0xbb, 0xbf, 0xc3, 0xa9), 'text/html; charset=windows-1252', true)).toEqual({
      text: 'é',
      encoding: 'utf-8',
    });
    expect(decodeBody(bytes(0xff, 0xfe, 0x41, 0x00), null, false)).toEqual({
      text: 'A',
      encoding: 'utf-16le',
    });
    const html = Buffer.from('<meta charset="shift_jis"><p>\u00e9</p>', 'latin1');
    expect(decodeBody(html, 'text/html; charset=windows-1252', true).encoding).toBe('windows-1252');
    expect(decodeBody(html, 'text/html', true).encoding).toBe('shift_jis');
  });

  it('undeclared bytes that are not UTF-8 are read as windows-1252; an unknown label falls back to UTF-8', () => {
    expect(decodeBody(bytes(0x63, 0x61, 0x66, 0xe9), 'text/html', true)).toEqual({
      text: 'café',
      encoding: 'windows-1252',
    });
    expect(decodeBody(Buffer.from('café'), 'text/plain; charset=x-made-up', false)).toEqual({
      text: 'café',
      encoding: 'utf-8',
    });
  });

  it('reads charset from headers and <meta> forms', () => {
    expect(headerCharset('text/html; charset="UTF-8"')).toBe('UTF-8');
    expect(headerCharset('text/html')).toBeUndefined();
    expect(
      metaCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">')),
    ).toBe('euc-jp');
    expect(metaCharset(Buffer.from(`${' '.repeat(1100)}<meta charset="gbk">`))).toBeUndefined();
  });
});
