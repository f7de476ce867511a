// Turns a fetched body into text for the model, by content type. The parsers load on first use,
// so a server that never fetches never pays for them at start.
import type { parseHTML as ParseHtml } from 'linkedom';
import type { NodeHtmlMarkdown } from 'node-html-markdown';
import { decodeBody } from './charset.js';

// linkedom's document (this package compiles without the DOM lib).
type Dom = ReturnType<typeof ParseHtml>['document'];

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

const TEXT_TYPES = /^(text\/|application\/(xml|javascript|ecmascript|x-yaml|yaml|toml|x-sh|sql|csv|rss\+xml|atom\+xml)$|[a-z]+\/[a-z0-9.+-]*\+xml$)/;

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
    if (/^\s*(<!doctype html|<html|<head|<body)/i.test(start) || /<html[\s>]/i.test(start.slice(0, 100))) return 'html';
    if (/^\s*[[{]/.test(start)) return 'json';
    // eslint-disable-next-line no-control-regex -- binary bytes are what this looks for
    if (mime === '' && !/[\x00-\x08\x0e-\x1a]/.test(start)) return 'text';
  }
  return 'other';
}

let markdown: NodeHtmlMarkdown | undefined;

/**
 * A named export of a CommonJS package loaded with import(): Node exposes it by name, a bundle
 * only under `default`.
 */
function named<M, K extends keyof M>(module: M, name: K): M[K] {
  return (module as Record<K, M[K]>)[name] ?? (module as { default: Record<K, M[K]> }).default[name];
}

async function htmlToMarkdown(html: string): Promise<string> {
  if (!markdown) {
    const NodeHtmlMarkdown = named(await import('node-html-markdown'), 'NodeHtmlMarkdown');
    markdown = new NodeHtmlMarkdown({ useLinkReferenceDefinitions: false, maxConsecutiveNewlines: 2 });
  }
  return markdown.translate(html).trim();
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

/**
 * HTML → readable Markdown: the main content (Mozilla Readability on a linkedom DOM, which runs
 * no script), links made absolute, title/byline/published/site metadata. A page Readability
 * finds no article in is converted whole, without scripts, styles and navigation.
 */
export async function convertHtml(html: string, pageUrl: string): Promise<Omit<Converted, 'encoding'>> {
  const [linkedom, readability] = await Promise.all([import('linkedom'), import('@mozilla/readability')]);
  const parseHTML = named(linkedom, 'parseHTML');
  const Readability = named(readability, 'Readability');
  const { document } = parseHTML(html);
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
  // Readability changes the DOM it reads, so the fallback works on the body as it was.
  const whole = document.body?.innerHTML ?? html;
  const article = new Readability(document as never, { charThreshold: 200 }).parse();
  let content: string;
  if (article?.content && (article.textContent ?? '').trim().length >= 50) {
    content = await htmlToMarkdown(article.content);
  } else {
    const { document: fallback } = parseHTML(`<html><body>${whole}</body></html>`);
    for (const element of fallback.querySelectorAll('script,style,noscript,template,nav,footer,svg,iframe')) element.remove();
    content = await htmlToMarkdown(fallback.body?.innerHTML ?? '');
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
  if (content.replace(/\s+/g, ' ').length < 200 && scripts > 0) {
    result.warning =
      'The page has almost no text without running its JavaScript (a client-rendered app); this server does not run scripts.';
  }
  return result;
}

/** PDF → text with unpdf (PDF.js), pages joined; the document's title when it has one. */
export async function convertPdf(bytes: Uint8Array): Promise<Omit<Converted, 'encoding'>> {
  const unpdf = await import('unpdf');
  const [getDocumentProxy, extractText, getMeta] = [named(unpdf, 'getDocumentProxy'), named(unpdf, 'extractText'), named(unpdf, 'getMeta')];
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
    return raw ? { format: 'html', content: text, encoding } : { ...(await convertHtml(text, pageUrl)), encoding };
  }
  if (kind === 'json' && !raw) {
    try {
      return { format: 'json', content: JSON.stringify(JSON.parse(text), null, 2), encoding };
    } catch {
      return { format: 'text', content: text, encoding, warning: 'The body is not valid JSON; shown as text.' };
    }
  }
  return { format: 'text', content: text, encoding };
}
