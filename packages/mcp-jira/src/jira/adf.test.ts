import { adfProblem } from '../../test/fake-jira/adf-schema.js';
import { adfToMarkdown, markdownToAdf, textToAdf, type AdfDoc } from './adf.js';

const GFM = `# Title

Some **bold**, *em*, ~~gone~~, \`code\` and a [link](https://example.com).

## Lists

- one
  - nested
- two

1. first
2. second

- [ ] open task
- [x] done task

> a quote
> on two lines

\`\`\`ts
const x = 1;
\`\`\`

| h1 | h2 |
|----|----|
| a  | b  |

---

Line one  
line two
`;

describe('markdownToAdf', () => {
  it.each([
    ['a GFM sample', GFM],
    ['an empty string', ''],
    ['whitespace', '   \n\n  '],
    ['only a heading', '#'],
    ['an empty list item', '- \n- x'],
    ['html', '<b>x</b> <script>alert(1)</script>'],
    ['a lone code fence', '```'],
    ['emoji and CJK', '🎉 日本語 **強調**'],
  ])('%s becomes a document valid against the ADF schema', (_name, md) => {
    const doc = markdownToAdf(md);
    expect(adfProblem(doc)).toBeUndefined();
  });

  it('keeps the structure', () => {
    const doc = markdownToAdf(GFM);
    expect(doc.content.map((n) => n.type)).toEqual(
      expect.arrayContaining([
        'heading',
        'paragraph',
        'bulletList',
        'orderedList',
        'taskList',
        'blockquote',
        'codeBlock',
        'table',
        'rule',
      ]),
    );
  });

  it('textToAdf keeps line breaks as hardBreaks and is valid', () => {
    const doc = textToAdf('a\nb\n\nc');
    expect(adfProblem(doc)).toBeUndefined();
    expect(adfToMarkdown(doc)).toBe('a  \nb\n\nc');
  });
});

describe('adfToMarkdown', () => {
  it('round-trips the GFM sample closely', () => {
    const md = adfToMarkdown(markdownToAdf(GFM));
    for (const part of [
      '# Title',
      '**bold**',
      '*em*',
      '~~gone~~',
      '`code`',
      '[link](https://example.com)',
      '- one\n  - nested',
      '1. first\n2. second',
      '- [ ] open task',
      '- [x] done task',
      '> a quote',
      '```ts\nconst x = 1;\n```',
      '| h1 | h2 |',
      '| a | b |',
      '---',
    ]) {
      expect(md).toContain(part);
    }
  });

  it('renders every node type to text: nothing is silently dropped', () => {
    const doc: AdfDoc = {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: 'abc', text: '@Bob Builder' } },
            { type: 'text', text: ' ' },
            { type: 'mention', attrs: { id: 'xyz' } },
            { type: 'text', text: ' ' },
            { type: 'status', attrs: { text: 'in review', color: 'blue' } },
            { type: 'text', text: ' ' },
            { type: 'date', attrs: { timestamp: '1767225600000' } },
            { type: 'text', text: ' ' },
            { type: 'emoji', attrs: { shortName: ':tada:', text: '🎉' } },
            { type: 'text', text: ' ' },
            { type: 'inlineCard', attrs: { url: 'https://github.com/acme/api/pull/1' } },
            { type: 'text', text: ' ' },
            { type: 'mediaInline', attrs: { id: 'm1', alt: 'log.txt' } },
            { type: 'text', text: ' ' },
            { type: 'placeholder', attrs: { text: 'Type here' } },
            { type: 'text', text: ' ' },
            { type: 'inlineExtension', attrs: { extensionKey: 'jira-chart' } },
            { type: 'text', text: ' x', marks: [{ type: 'subsup', attrs: { type: 'sup' } }] },
            { type: 'futureInline', text: 'future text' },
          ],
        },
        {
          type: 'panel',
          attrs: { panelType: 'warning' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Careful' }] }],
        },
        {
          type: 'expand',
          attrs: { title: 'More' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hidden' }] }],
        },
        {
          type: 'mediaSingle',
          content: [{ type: 'media', attrs: { id: 'img-1', type: 'file', collection: 'c' } }],
        },
        { type: 'mediaGroup', content: [{ type: 'media', attrs: { id: 'f1', alt: 'spec.pdf' } }] },
        {
          type: 'decisionList',
          content: [{ type: 'decisionItem', content: [{ type: 'text', text: 'Use Redis' }] }],
        },
        {
          type: 'bodiedExtension',
          attrs: { extensionKey: 'macro' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'inside' }] }],
        },
        { type: 'extension', attrs: { extensionKey: 'toc' } },
        {
          type: 'layoutSection',
          content: [
            {
              type: 'layoutColumn',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'col' }] }],
            },
          ],
        },
        { type: 'blockCard', attrs: { url: 'https://example.com/doc' } },
        { type: 'nestedExpand', attrs: { title: 'Inner' }, content: [] },
        { type: 'futureBlock', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept' }] }] },
        { type: 'opaqueThing' },
      ],
    };
    const md = adfToMarkdown(doc);
    for (const part of [
      '@Bob Builder',
      '@xyz',
      '[IN REVIEW]',
      '2026-01-01',
      '🎉',
      '<https://github.com/acme/api/pull/1>',
      '[attachment: log.txt]',
      'Type here',
      '[extension: jira-chart]',
      '<sup> x</sup>',
      'future text',
      '> **Warning:** Careful',
      '**More**',
      'hidden',
      '[attachment: img-1]',
      '[attachment: spec.pdf]',
      '- Decision: Use Redis',
      '[extension: macro]',
      'inside',
      '[extension: toc]',
      'col',
      '<https://example.com/doc>',
      '**Inner**',
      'kept',
      '[opaqueThing]',
    ]) {
      expect(md).toContain(part);
    }
  });

  it('escapes Markdown in text and leaves code alone; null and strings pass', () => {
    expect(
      adfToMarkdown({
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'a*b_[c]' },
              { type: 'text', text: 'x*y', marks: [{ type: 'code' }] },
            ],
          },
        ],
      }),
    ).toBe('a\\*b\\_\\[c\\]`x*y`');
    expect(adfToMarkdown(null)).toBe('');
    expect(adfToMarkdown('plain')).toBe('plain');
  });
});
