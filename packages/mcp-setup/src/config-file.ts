import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import {
  findNodeAtLocation,
  parse,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import type { ClientFile } from './clients.js';

/** A problem the user can fix, printed as one line without a stack. */
export class SetupError extends Error {}

/** A client file as it is on disk. */
export interface LoadedFile {
  file: ClientFile;
  /** The text on disk, or undefined when there is no file yet. */
  text: string | undefined;
  /** The servers object (name → entry); empty when there is none. */
  servers: Record<string, unknown>;
  /** The whole parsed document. */
  document: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a client file; comments and trailing commas are accepted (VS Code's mcp.json is JSONC). */
export function loadFile(file: ClientFile): LoadedFile {
  if (!existsSync(file.path)) return { file, text: undefined, servers: {}, document: {} };
  const text = readFileSync(file.path, 'utf8');
  if (text.trim() === '') return { file, text, servers: {}, document: {} };
  const errors: ParseError[] = [];
  const document: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new SetupError(
      `${file.path} is not valid JSON (${printParseErrorCode(first.error)} on line ${line}): fix it or move it away, then run again`,
    );
  }
  if (!isRecord(document))
    throw new SetupError(`${file.path} does not hold a JSON object: fix it or move it away`);
  let servers: unknown = document;
  for (const key of file.at) servers = isRecord(servers) ? servers[key] : undefined;
  if (servers !== undefined && !isRecord(servers))
    throw new SetupError(`"${file.at.join('.')}" in ${file.path} is not an object: fix it or move it away`);
  return { file, text, servers: servers ?? {}, document };
}

/** The leading whitespace of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** 2-space JSON whose lines after the first are indented by `indent`. */
const pretty = (value: unknown, indent: string, eol: string) =>
  JSON.stringify(value, null, 2)
    .split('\n')
    .join(eol + indent);

/** `text` with `"name": value` set in the object at `path` (created when missing), nothing else touched. */
function setMember(text: string, path: string[], name: string, value: unknown): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const root = parseTree(text, [], { allowTrailingComma: true })!;
  let parent: JsonNode = root;
  let key = name;
  let member: unknown = value;
  let complete = true;
  // The deepest object of the path that exists; what is missing below it is built as one value.
  for (let i = 0; i < path.length; i++) {
    const next = findNodeAtLocation(parent, [path[i]!]);
    if (!next) {
      key = path[i]!;
      member = [...path.slice(i + 1), name].reverse().reduce<unknown>((inner, k) => ({ [k]: inner }), value);
      complete = false;
      break;
    }
    parent = next;
  }
  const existing = complete ? findNodeAtLocation(parent, [name]) : undefined;
  if (existing) {
    const indent = indentAt(text, existing.parent!.offset);
    return (
      text.slice(0, existing.offset) +
      pretty(member, indent, eol) +
      text.slice(existing.offset + existing.length)
    );
  }
  const props = parent.children ?? [];
  if (props.length === 0) {
    const indent = indentAt(text, parent.offset);
    return (
      text.slice(0, parent.offset) +
      pretty({ [key]: member }, indent, eol) +
      text.slice(parent.offset + parent.length)
    );
  }
  const last = props[props.length - 1]!;
  const indent = indentAt(text, last.offset);
  const end = last.offset + last.length;
  let at = end;
  let comma = ',';
  const after = /^\s*,/.exec(text.slice(at)); // a trailing comma (JSONC) is kept, not doubled
  if (after) {
    at += after[0].length;
    comma = '';
  }
  const comment = /^[ \t]*\/\/[^\r\n]*/.exec(text.slice(at)); // a comment ending the line stays on it
  if (comment) at += comment[0].length;
  const added = `${eol}${indent}${JSON.stringify(key)}: ${pretty(member, indent, eol)}`;
  return `${text.slice(0, end)}${comma}${text.slice(end, at)}${added}${text.slice(at)}`;
}

/**
 * The file's text with each named entry set, everything else kept byte for byte: other servers,
 * other keys, comments and layout. A new file is 2-space JSON.
 */
export function withEntries(loaded: LoadedFile, entries: Record<string, unknown>): string {
  if (loaded.text === undefined || loaded.text.trim() === '') {
    let value: Record<string, unknown> = { ...entries };
    for (const key of [...loaded.file.at].reverse()) value = { [key]: value };
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  if (!loaded.text.trimEnd().includes('\n')) {
    // A one-line file (written by a program) has no layout to keep: it becomes 2-space JSON.
    let servers: Record<string, unknown> = loaded.document;
    for (const key of loaded.file.at) {
      servers[key] = { ...((servers[key] as Record<string, unknown> | undefined) ?? {}) };
      servers = servers[key] as Record<string, unknown>;
    }
    Object.assign(servers, entries);
    return `${JSON.stringify(loaded.document, null, 2)}\n`;
  }
  let text = loaded.text;
  for (const [name, entry] of Object.entries(entries)) text = setMember(text, loaded.file.at, name, entry);
  return text;
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

/**
 * Writes `text` to `path` through a temporary file and a rename (a crash never leaves half a
 * file), after copying the previous file to `<path>.<UTC time>.bak`. A new file is private to
 * the user (it may hold tokens); an existing one keeps its mode. Returns the backup's path.
 */
export function writeFile(path: string, text: string, now = new Date()): string | undefined {
  mkdirSync(dirname(path), { recursive: true });
  let backup: string | undefined;
  let mode = 0o600;
  if (existsSync(path)) {
    mode = statSync(path).mode & 0o777;
    backup = `${path}.${stamp(now)}.bak`;
    for (let n = 1; existsSync(backup); n++) backup = `${path}.${stamp(now)}-${n}.bak`;
    copyFileSync(path, backup);
  }
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
  return backup;
}

/** Copies a file beside itself as a backup before another program (the claude CLI) changes it. */
export function backupFile(path: string, now = new Date()): string | undefined {
  if (!existsSync(path)) return undefined;
  let backup = `${path}.${stamp(now)}.bak`;
  for (let n = 1; existsSync(backup); n++) backup = `${path}.${stamp(now)}-${n}.bak`;
  copyFileSync(path, backup);
  return backup;
}
