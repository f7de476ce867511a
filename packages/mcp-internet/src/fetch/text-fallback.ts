// The text path for pages too large or too slow for readable Markdown: one pass of htmlparser2's
// streaming tokenizer (no DOM, time and memory linear in the page) keeping headings, paragraphs,
// list items and table rows as lines, and the title/published/language metadata.
import { Parser } from 'htmlparser2';

/** What the text path gives: the same metadata fields as the Markdown path, format text. */
export interface PlainText {
  content: string;
  title?: string;
  published?: string;
  language?: string;
  byline?: string;
}

// Elements whose content is not text for a reader.
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'canvas',
  'head',
  'nav',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'textarea',
  'math',
]);
// Elements that start a new line.
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'figure',
  'figcaption',
  'hr',
  'address',
  'details',
  'summary',
  'body',
]);
const HEADING = /^h([1-6])$/;
const PUBLISHED = new Set(['article:published_time', 'datepublished', 'date', 'dc.date']);

/** HTML → text in one linear pass (see the file comment). */
export function htmlToText(html: string): PlainText {
  const lines: string[] = [];
  let line = '';
  let skip = 0;
  let pre = 0;
  let inTitle = false;
  let title = '';
  let published: string | undefined;
  let language: string | undefined;
  let byline: string | undefined;
  let cell = 0;
  const flush = () => {
    const text = pre ? line.replace(/\s+$/, '') : line.trim();
    if (text) lines.push(text);
    line = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'html' && attributes['lang']) language ??= attributes['lang'];
        if (name === 'title' && !title) inTitle = true;
        if (name === 'meta') {
          const key = (
            attributes['property'] ??
            attributes['name'] ??
            attributes['itemprop'] ??
            ''
          ).toLowerCase();
          if (PUBLISHED.has(key) && attributes['content']) published ??= attributes['content'].trim();
          if (key === 'author' && attributes['content']) byline ??= attributes['content'].trim();
        }
        if (name === 'time' && attributes['datetime']) published ??= attributes['datetime'].trim();
        if (SKIP.has(name)) {
          skip++;
          return;
        }
        if (skip) return;
        const heading = HEADING.exec(name);
        if (heading) {
          flush();
          lines.push('');
          line = `${'#'.repeat(Number(heading[1]))} `;
        } else if (name === 'li') {
          flush();
          line = '- ';
        } else if (name === 'br') {
          flush();
        } else if (name === 'td' || name === 'th') {
          line += cell++ ? ' | ' : '';
        } else if (BLOCK.has(name)) {
          if (name === 'tr') cell = 0;
          if (name === 'p' || name === 'pre' || name === 'blockquote' || name === 'table') {
            flush();
            lines.push('');
          } else flush();
          if (name === 'pre') pre++;
        }
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skip) return;
        line += pre ? text : text.replace(/\s+/g, ' ');
        if (pre && line.includes('\n')) {
          const parts = line.split('\n');
          line = parts.pop()!;
          lines.push(...parts.map((p) => p.replace(/\s+$/, '')));
        }
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIP.has(name)) {
          skip = Math.max(0, skip - 1);
          return;
        }
        if (skip) return;
        if (HEADING.test(name) || name === 'li' || BLOCK.has(name)) flush();
        if (name === 'pre') pre = Math.max(0, pre - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();
  // Runs of blank lines become one.
  const out: string[] = [];
  for (const l of lines) if (l || (out.length && out.at(-1))) out.push(l);
  const result: PlainText = { content: out.join('\n').trim() };
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  if (cleanTitle) result.title = cleanTitle;
  if (published) result.published = published;
  if (language) result.language = language;
  if (byline) result.byline = byline;
  return result;
}
