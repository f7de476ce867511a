import { markdownToAdf as marklassian } from 'marklassian';

/** An ADF node as Jira sends and accepts it. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

/** An ADF document (the value of a description or comment body). */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Drops what the ADF schema forbids and marklassian can emit: empty text nodes. */
function clean(node: AdfNode): AdfNode | undefined {
  if (node.type === 'text' && !node.text) return undefined;
  if (!node.content) return node;
  return { ...node, content: node.content.map(clean).filter((n): n is AdfNode => n !== undefined) };
}

/** Markdown (GitHub flavour: headings, lists, tables, tasks, code, links) as a valid ADF document. */
export function markdownToAdf(markdown: string): AdfDoc {
  if (!markdown.trim()) return { type: 'doc', version: 1, content: [] };
  const doc = marklassian(markdown) as unknown as AdfDoc;
  return { type: 'doc', version: 1, content: clean(doc as unknown as AdfNode)?.content ?? [] };
}

/** Plain text as one paragraph per block, with hard breaks (what the original's plain mode meant). */
export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim());
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p
        .split('\n')
        .flatMap((line, i): AdfNode[] => [
          ...(i > 0 ? [{ type: 'hardBreak' }] : []),
          ...(line ? [{ type: 'text', text: line }] : []),
        ]),
    })),
  };
}

/** True when a value looks like an ADF document. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    !!value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

function escapeText(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function inline(nodes: AdfNode[] | undefined): string {
  return (nodes ?? []).map(inlineNode).join('');
}

function applyMarks(text: string, marks: AdfNode['marks']): string {
  let out = text;
  let code = false;
  for (const m of marks ?? []) if (m.type === 'code') code = true;
  if (code) out = `\`${text.replace(/`/g, 'ˋ')}\``;
  for (const m of marks ?? []) {
    if (m.type === 'strong') out = `**${out}**`;
    else if (m.type === 'em') out = `*${out}*`;
    else if (m.type === 'strike') out = `~~${out}~~`;
    else if (m.type === 'link') out = `[${out}](${String(m.attrs?.['href'] ?? '')})`;
    else if (m.type === 'subsup')
      out = m.attrs?.['type'] === 'sub' ? `<sub>${out}</sub>` : `<sup>${out}</sup>`;
  }
  return out;
}

function dateText(ts: unknown): string {
  const n = Number(ts);
  return Number.isFinite(n) ? new Date(n).toISOString().slice(0, 10) : String(ts);
}

function inlineNode(node: AdfNode): string {
  const a = node.attrs ?? {};
  switch (node.type) {
    case 'text':
      return applyMarks(
        node.marks?.some((m) => m.type === 'code') ? (node.text ?? '') : escapeText(node.text ?? ''),
        node.marks,
      );
    case 'hardBreak':
      return '  \n';
    case 'mention':
      return String(a['text'] ?? `@${String(a['id'] ?? 'someone')}`).replace(/^(?!@)/, '@');
    case 'emoji':
      return String(a['text'] ?? a['shortName'] ?? '');
    case 'status':
      return `[${String(a['text'] ?? 'status').toUpperCase()}]`;
    case 'date':
      return dateText(a['timestamp']);
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      return a['url'] ? `<${String(a['url'])}>` : '[card]';
    case 'mediaInline':
    case 'media':
      return `[attachment: ${String(a['alt'] ?? a['id'] ?? 'file')}]`;
    case 'placeholder':
      return String(a['text'] ?? '');
    case 'inlineExtension':
      return `[extension: ${String(a['extensionKey'] ?? 'unknown')}]`;
    default:
      // Unknown inline node: its text, or its children, or its name, never nothing.
      return node.text ?? (node.content ? inline(node.content) : `[${node.type}]`);
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line ? prefix + line : line))
    .join('\n');
}

function listItems(items: AdfNode[] | undefined, marker: (i: number) => string): string {
  return (items ?? [])
    .map((item, i) => {
      const m = marker(i);
      // A paragraph followed by a nested list stays one tight item.
      const body = (item.content ?? [])
        .map(block)
        .filter((b) => b !== '')
        .join('\n')
        .trim();
      return m + indent(body, ' '.repeat(m.length));
    })
    .join('\n');
}

function cellText(cell: AdfNode): string {
  return blocks(cell.content ?? [])
    .trim()
    .replace(/\n+/g, ' ')
    .replace(/\|/g, '\\|');
}

function table(node: AdfNode): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return '';
  const cells = rows.map((r) => (r.content ?? []).map(cellText));
  const width = Math.max(...cells.map((r) => r.length));
  const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
  const header = rows[0]!.content?.every((c) => c.type === 'tableHeader')
    ? pad(cells.shift()!)
    : Array<string>(width).fill('');
  return [
    `| ${header.join(' | ')} |`,
    `|${' --- |'.repeat(width)}`,
    ...cells.map((r) => `| ${pad(r).join(' | ')} |`),
  ].join('\n');
}

function block(node: AdfNode): string {
  const a = node.attrs ?? {};
  switch (node.type) {
    case 'paragraph':
      return inline(node.content);
    case 'heading':
      return `${'#'.repeat(Math.min(6, Math.max(1, Number(a['level'] ?? 1))))} ${inline(node.content)}`;
    case 'bulletList':
      return listItems(node.content, () => '- ');
    case 'orderedList': {
      const start = Number(a['order'] ?? 1);
      return listItems(node.content, (i) => `${start + i}. `);
    }
    case 'taskList':
      return (node.content ?? [])
        .map((t) =>
          t.type === 'taskItem'
            ? `- [${t.attrs?.['state'] === 'DONE' ? 'x' : ' '}] ${inline(t.content)}`
            : block(t),
        )
        .join('\n');
    case 'decisionList':
      return (node.content ?? []).map((d) => `- Decision: ${inline(d.content)}`).join('\n');
    case 'blockquote':
      return blocks(node.content ?? [])
        .split('\n')
        .map((l) => `> ${l}`.trimEnd())
        .join('\n');
    case 'panel': {
      const kind = String(a['panelType'] ?? 'info');
      const body = blocks(node.content ?? []);
      return `> **${kind[0]!.toUpperCase()}${kind.slice(1)}:** ${body.split('\n').join('\n> ')}`;
    }
    case 'codeBlock': {
      const code = (node.content ?? []).map((t) => t.text ?? '').join('');
      const fence = code.includes('```') ? '````' : '```';
      return `${fence}${String(a['language'] ?? '')}\n${code}\n${fence}`;
    }
    case 'rule':
      return '---';
    case 'table':
      return table(node);
    case 'expand':
    case 'nestedExpand':
      return `**${String(a['title'] ?? 'Details')}**\n\n${blocks(node.content ?? [])}`;
    case 'mediaSingle':
    case 'mediaGroup':
      return (node.content ?? []).map(inlineNode).join(' ');
    case 'extension':
    case 'bodiedExtension':
      return [`[extension: ${String(a['extensionKey'] ?? 'unknown')}]`, blocks(node.content ?? [])]
        .filter(Boolean)
        .join('\n\n');
    case 'layoutSection':
    case 'layoutColumn':
    case 'doc':
      return blocks(node.content ?? []);
    case 'blockCard':
    case 'embedCard':
      return inlineNode(node);
    default:
      return node.content ? blocks(node.content) : inlineNode(node);
  }
}

function blocks(nodes: AdfNode[]): string {
  return nodes
    .map(block)
    .filter((b) => b !== '')
    .join('\n\n');
}

/**
 * An ADF document as Markdown. Every node type renders to something: mentions as @name, status
 * lozenges as [STATUS], dates as ISO dates, media as [attachment: name], panels as quoted notes,
 * unknown nodes as their text or their type name, so nothing is silently dropped.
 */
export function adfToMarkdown(doc: unknown): string {
  if (doc === null || doc === undefined) return '';
  if (typeof doc === 'string') return doc;
  if (!isAdfDoc(doc))
    return typeof doc === 'object' && 'type' in (doc as object) ? block(doc as AdfNode) : JSON.stringify(doc);
  return blocks(doc.content).trim();
}
