import { htmlToText } from './text-fallback.js';

describe('htmlToText (the linear text path)', () => {
  it('keeps headings, paragraphs, list items, table rows and preformatted text; drops scripts, styles and navigation', () => {
    const result = htmlToText(`<!DOCTYPE html><html lang="de"><head><title> Caf&eacute;
      menu </title><meta property="article:published_time" content="2026-11-03T09:30:00Z"><meta name="author" content="Ada Example">
      <style>body { color: red }</style><script>window.secret = 1</script></head>
      <body><nav><a href="/">Home</a></nav><h1>Menu</h1><p>Coffee &amp; cake,
      every   day.</p><ul><li>Espresso</li><li>Tea<br>with milk</li></ul>
      <table><tr><th>Item</th><th>Price</th></tr><tr><td>Cake</td><td>3 &euro;</td></tr></table>
      <pre>  indented
    code</pre><script>document.write('x')</script><noscript>enable js</noscript><footer>© 2026</footer></body></html>`);
    expect(result).toEqual({
      title: 'Café menu',
      published: '2026-11-03T09:30:00Z',
      byline: 'Ada Example',
      language: 'de',
      content: [
        '# Menu',
        '',
        'Coffee & cake, every day.',
        '- Espresso',
        '- Tea',
        'with milk',
        '',
        'Item | Price',
        'Cake | 3 €',
        '',
        '  indented',
        '    code',
      ].join('\n'),
    });
  });

  it('survives broken markup (unclosed and stray tags) without losing text', () => {
    const result = htmlToText('<div><p>one<p>two</span></div><h2>three<div>four</b>');
    expect(result.content.split('\n').filter(Boolean)).toEqual(['one', 'two', '## three', 'four']);
  });

  it('is linear: a page ten times larger takes about ten times as long, not a hundred', () => {
    const page = (n: number) =>
      `<html><body>${'<div><p>Some <b>text</b> and <a href="/x">a link</a>.</p></div>'.repeat(n)}</body></html>`;
    const time = (html: string) => {
      const t = performance.now();
      htmlToText(html);
      return performance.now() - t;
    };
    const small = page(5_000);
    const large = page(50_000);
    time(small);
    const ratio =
      Math.min(...[0, 1, 2].map(() => time(large))) / Math.min(...[0, 1, 2].map(() => time(small)));
    expect(ratio).toBeLessThan(40);
  });
});
