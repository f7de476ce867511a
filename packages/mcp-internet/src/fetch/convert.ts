// Turns a fetched body into text for the model, by content type. The parsers load on first use,
// so a server that never fetches never pays for them at start.
import type { parseHTML as ParseHtml } from 'linkedom';
import type TurndownService from 'turndown';
import { decodeBody } from './charset.js';
import { htmlToText } from './text-fallback.js';

// linkedom's document (this package compiles without the DOM lib).
type Dom = ReturnType<typeof ParseHtml>['document'];
type DomElement = ReturnType<Dom['createElement']>;

/** How a body was turned into text. */
export type DocumentFormat = 'markdown' | 'html' | 'json' | 'text' | 'pdf' | 'metadata';

/** A converted document and what is known about it. */
export interface Converted {
  format: DocumentFormat;
  content: string;
  encoding?: string;
  title?: string;
  byline?: string;
  published?: string;
  site_name?: string;
  language?: string;
  /** Something the model should know about the conversion (e.g. a JavaScript-only page). */
  warning?: string;
}

/** The content kinds handled. */
export type BodyKind = 'html' | 'json' | 'text' | 'pdf' | 'other';

const TEXT_TYPES =
  /^(text\/|application\/(xml|javascript|ecmascript|x-yaml|yaml|toml|x-sh|sql|csv|rss\+xml|atom\+xml)$|[a-z]+\/[a-z0-9.+-]*\+xml$)/;

/** Pages with more elements than this skip Readability (its cost grows faster than the page). */
export const READABILITY_MAX_ELEMENTS = 20_000;

/** The MIME type of a Content-Type value, lower case, without parameters. */
export function mimeType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * What kind of body this is: by Content-Type, and for a missing or generic one by its first
 * bytes (`%PDF-`, an `<html` or doctype near the start, JSON).
 */
export function bodyKind(contentType: string | null | undefined, head: Uint8Array): BodyKind {
  const mime = mimeType(contentType);
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  if (mime === 'application/pdf') return 'pdf';
  if (TEXT_TYPES.test(mime)) return 'text';
  if (mime === '' || mime === 'application/octet-stream' || mime === 'binary/octet-stream') {
    const start = Buffer.from(head.subarray(0, 512)).toString('latin1');
    if (start.startsWith('%PDF-')) return 'pdf';
    if (/^\s*(<!doctype html|<html|<head|<body)/i.test(start) || /<html[\s>]/i.test(start.slice(0, 100)))
      return 'html';
    if (/^\s*[[{]/.test(start)) return 'json';
    // eslint-disable-next-line no-control-regex -- binary bytes are what this looks for
    if (mime === '' && !/[\x00-\x08\x0e-\x1a]/.test(start)) return 'text';
  }
  return 'other';
}

/**
 * A named export of a CommonJS package loaded with import(): Node exposes it by name, a bundle
 * only under `default`.
 */
function named<M, K extends keyof M>(module: M, name: K): M[K] {
  return (module as Record<K, M[K]>)[name] ?? (module as { default: Record<K, M[K]> }).default[name];
}
function defaultExport<M>(module: M): M extends { default: infer D } ? D : M {
  return ((module as { default?: unknown }).default ?? module) as M extends { default: infer D } ? D : M;
}

let turndown: TurndownService | undefined;

interface TableNode {
  nodeName: string;
  parentNode: TableNode | null;
  children: TableNode[];
  querySelector(selector: string): unknown;
}
function closestTable(node: TableNode): TableNode | undefined {
  for (let n = node.parentNode; n; n = n.parentNode) if (n.nodeName === 'TABLE') return n;
  return undefined;
}

/** Turndown with GFM tables and strikethrough, fenced code keeping its language, no scripts. */
async function markdownOf(element: DomElement): Promise<string> {
  if (!turndown) {
    const [Turndown, gfm] = await Promise.all([
      import('turndown').then(defaultExport),
      import('turndown-plugin-gfm'),
    ]);
    const service = new Turndown({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
    // GFM's own table rule reads table.rows, which linkedom lacks: tables get the rules below.
    service.use([named(gfm, 'strikethrough'), named(gfm, 'taskListItems')]);
    service.addRule('tableCell', {
      filter: ['th', 'td'],
      replacement: (content) =>
        ` ${content
          .replace(/\s*\n\s*/g, ' ')
          .replace(/\|/g, '\\|')
          .trim()} |`,
    });
    service.addRule('tableRow', {
      filter: 'tr',
      replacement: (content, node) => {
        const row = node as unknown as TableNode;
        const table = closestTable(row);
        const first = table?.querySelector('tr') === (row as unknown);
        const cells = row.children.filter((c) => c.nodeName === 'TH' || c.nodeName === 'TD').length;
        return `\n|${content}${first ? `\n|${' --- |'.repeat(Math.max(cells, 1))}` : ''}`;
      },
    });
    service.addRule('tableSection', {
      filter: ['thead', 'tbody', 'tfoot'],
      replacement: (content) => content,
    });
    service.addRule('table', { filter: 'table', replacement: (content) => `\n\n${content.trim()}\n\n` });
    service.remove(['script', 'style', 'noscript', 'template', 'iframe', 'svg', 'form', 'button', 'canvas']);
    service.addRule('fencedWithLanguage', {
      filter: (node) => node.nodeName === 'PRE' && node.firstChild?.nodeName === 'CODE',
      replacement: (_content, node) => {
        const code = node.firstChild as unknown as {
          getAttribute(n: string): string | null;
          textContent: string | null;
        };
        const language =
          code.getAttribute('data-language') ??
          /language-(\S+)/.exec(code.getAttribute('class') ?? '')?.[1] ??
          '';
        return `\n\n\`\`\`${language}\n${(code.textContent ?? '').replace(/\n$/, '')}\n\`\`\`\n\n`;
      },
    });
    turndown = service;
  }
  return turndown.turndown(element as unknown as TurndownService.Node).trim();
}

function meta(document: Dom, ...selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const element = document.querySelector(selector);
    const value = element?.getAttribute('content') ?? element?.getAttribute('datetime');
    if (value && value.trim()) return value.trim();
  }
  return undefined;
}

/** Rewrites relative links and image sources against the page's URL (linkedom has no baseURI). */
function absolutize(document: Dom, pageUrl: string): void {
  let base = pageUrl;
  const declared = document.querySelector('base[href]')?.getAttribute('href');
  if (declared) {
    try {
      base = new URL(declared, pageUrl).href;
    } catch {
      // an unreadable <base> is ignored, as browsers do
    }
  }
  for (const [selector, attribute] of [
    ['a[href]', 'href'],
    ['img[src]', 'src'],
  ] as const) {
    for (const element of document.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute) ?? '';
      try {
        const url = new URL(value, base);
        if (url.protocol === 'javascript:' || url.protocol === 'data:') element.removeAttribute(attribute);
        else element.setAttribute(attribute, url.href);
      } catch {
        element.removeAttribute(attribute);
      }
    }
  }
}

/** What Readability's parse() returns, with the content as an element. */
interface ArticleParts {
  title?: string | null | undefined;
  content?: DomElement | null | undefined;
  textContent?: string | null | undefined;
  byline?: string | null | undefined;
  siteName?: string | null | undefined;
  lang?: string | null | undefined;
  publishedTime?: string | null | undefined;
}

/**
 * HTML → readable Markdown: the main content (Mozilla Readability, on a linkedom DOM that runs no
 * script; pages over READABILITY_MAX_ELEMENTS elements are converted whole, as its cost grows
 * faster than the page), Turndown with GFM tables, links made absolute, title/byline/published
 * metadata. A page Readability finds no article in is converted whole, without scripts, styles
 * and navigation.
 */
export async function convertHtml(html: string, pageUrl: string): Promise<Omit<Converted, 'encoding'>> {
  const linkedom = await import('linkedom');
  const { document } = named(linkedom, 'parseHTML')(html);
  absolutize(document, pageUrl);
  const scripts = document.querySelectorAll('script').length;
  const published = meta(
    document,
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="dc.date"]',
    'time[datetime]',
  );
  const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
  const language = document.documentElement?.getAttribute('lang') || undefined;
  const elements = document.querySelectorAll('*').length;
  // Readability drops class attributes, and with them a code block's language-xyz.
  for (const code of document.querySelectorAll('pre > code[class*="language-"]')) {
    const language = /language-([\w+#-]+)/.exec(code.getAttribute('class') ?? '')?.[1];
    if (language) code.setAttribute('data-language', language);
  }
  let article: ArticleParts | null = null;
  let warning: string | undefined;
  if (elements <= READABILITY_MAX_ELEMENTS) {
    const Readability = named(await import('@mozilla/readability'), 'Readability');
    // Readability changes the DOM it reads: it gets a copy, the fallback keeps the page as it was.
    const copy = document.cloneNode(true) as unknown as Dom;
    // The serializer hands back the element itself, so Turndown needs no second parse.
    article = new Readability<DomElement>(copy as never, {
      charThreshold: 200,
      serializer: (node) => node as never,
    }).parse();
  } else {
    warning = `The page is large (${elements} elements): converted whole, without picking out the main content.`;
  }
  let content: string;
  if (article?.content && (article.textContent ?? '').trim().length >= 50) {
    content = await markdownOf(article.content);
  } else {
    for (const element of document.querySelectorAll(
      'script,style,noscript,template,nav,footer,aside,header,svg,iframe,form',
    ))
      element.remove();
    content = await markdownOf((document.body ?? document.documentElement) as DomElement);
  }
  const result: Omit<Converted, 'encoding'> = { format: 'markdown', content };
  const title = article?.title?.trim() || pageTitle;
  if (title) result.title = title;
  if (article?.byline?.trim()) result.byline = article.byline.trim();
  const when = article?.publishedTime?.trim() || published;
  if (when) result.published = when;
  if (article?.siteName?.trim()) result.site_name = article.siteName.trim();
  const lang = article?.lang || language;
  if (lang) result.language = lang;
  if (warning) result.warning = warning;
  if (content.replace(/\s+/g, ' ').length < 200 && scripts > 0) {
    result.warning =
      'The page has almost no text without running its JavaScript (a client-rendered app); this server does not run scripts.';
  }
  return result;
}

/** PDF → text with unpdf (PDF.js), pages joined; the document's title when it has one. */
export async function convertPdf(bytes: Uint8Array): Promise<Omit<Converted, 'encoding'>> {
  const unpdf = await import('unpdf');
  const [getDocumentProxy, extractText, getMeta] = [
    named(unpdf, 'getDocumentProxy'),
    named(unpdf, 'extractText'),
    named(unpdf, 'getMeta'),
  ];
  // PDF.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const { text, totalPages } = await extractText(pdf, { mergePages: true });
    const info = (await getMeta(pdf).catch(() => ({ info: {} as Record<string, unknown> }))).info;
    const result: Omit<Converted, 'encoding'> = { format: 'pdf', content: text.trim() };
    if (typeof info['Title'] === 'string' && info['Title'].trim()) result.title = info['Title'].trim();
    if (typeof info['Author'] === 'string' && info['Author'].trim()) result.byline = info['Author'].trim();
    if (!result.content) {
      result.warning = `The PDF (${totalPages} pages) has no text layer (scanned images?); no OCR is done.`;
    }
    return result;
  } finally {
    await pdf.destroy();
  }
}

/**
 * Converts a body by kind. `raw` keeps HTML as HTML source (decoded) instead of Markdown.
 * A body of another kind (image, archive, font…) yields metadata only.
 */
export async function convertBody(
  kind: BodyKind,
  bytes: Uint8Array,
  contentType: string | null,
  pageUrl: string,
  raw: boolean,
): Promise<Converted> {
  if (kind === 'pdf') return convertPdf(bytes);
  if (kind === 'other') {
    return {
      format: 'metadata',
      content: '',
      warning: `${mimeType(contentType) || 'Binary'} content is not returned as text.`,
    };
  }
  const { text, encoding } = decodeBody(bytes, contentType, kind === 'html');
  if (kind === 'html') {
    return raw
      ? { format: 'html', content: text, encoding }
      : { ...(await convertHtml(text, pageUrl)), encoding };
  }
  if (kind === 'json' && !raw) {
    try {
      return { format: 'json', content: JSON.stringify(JSON.parse(text), null, 2), encoding };
    } catch {
      return {
        format: 'text',
        content: text,
        encoding,
        warning: 'The body is not valid JSON; shown as text.',
      };
    }
  }
  return { format: 'text', content: text, encoding };
}

/**
 * The text path (see text-fallback.ts): HTML stripped to text in one linear pass, other text
 * kinds decoded as they are. For pages too large or too slow for convertBody; `warning` says why.
 */
export function convertBodyAsText(
  kind: BodyKind,
  bytes: Uint8Array,
  contentType: string | null,
  warning: string,
): Converted {
  const { text, encoding } = decodeBody(bytes, contentType, kind === 'html');
  if (kind !== 'html') return { format: 'text', content: text, encoding, warning };
  return { format: 'text', ...htmlToText(text), encoding, warning };
}
