// A small JQL evaluator for the fake: AND/OR/NOT, parentheses, =, !=, ~, in, not in, is (not)
// EMPTY, ORDER BY, and the functions currentUser() and openSprints(). Unknown fields and syntax
// errors throw JqlError with the message Jira gives, which the fake answers as a 400.

/** A JQL problem, answered 400 with Jira's `errorMessages`. */
export class JqlError extends Error {}

type Token = { kind: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma'; text: string };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let text = '';
      i++;
      while (i < jql.length && jql[i] !== c) {
        if (jql[i] === '\\') i++;
        text += jql[i] ?? '';
        i++;
      }
      if (i >= jql.length)
        throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed.`);
      i++;
      tokens.push({ kind: 'string', text });
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', text: c });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', text: c });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', text: c });
      i++;
    } else if ('=!~<>'.includes(c)) {
      const two = jql.slice(i, i + 2);
      const op = ['!=', '!~', '<=', '>='].includes(two) ? two : c;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      let text = '';
      while (i < jql.length && !/[\s()=!~<>,"']/.test(jql[i]!)) text += jql[i++];
      if (text.endsWith('(') || jql[i] === '(') {
        // a function call such as currentUser() or openSprints()
        if (jql[i] === '(' && jql[i + 1] === ')') {
          text += '()';
          i += 2;
        }
      }
      tokens.push({ kind: 'word', text });
    }
  }
  return tokens;
}

/** The fields of an issue the evaluator reads. */
export interface JqlIssue {
  key: string;
  project: string;
  summary: string;
  description: string;
  status: string;
  issuetype: string;
  assignee?: string | undefined;
  priority?: string | undefined;
  labels: string[];
  parent?: string | undefined;
  sprints: number[];
  created: string;
}

/** What the functions need: the caller's account and the open sprints. */
export interface JqlContext {
  currentAccountId: string;
  openSprintIds: number[];
}

type Predicate = (issue: JqlIssue, ctx: JqlContext) => boolean;

const FIELDS: Record<string, (i: JqlIssue) => string[]> = {
  project: (i) => [i.project],
  key: (i) => [i.key],
  issuekey: (i) => [i.key],
  summary: (i) => [i.summary],
  description: (i) => [i.description],
  text: (i) => [i.summary, i.description],
  status: (i) => [i.status],
  issuetype: (i) => [i.issuetype],
  type: (i) => [i.issuetype],
  assignee: (i) => (i.assignee ? [i.assignee] : []),
  priority: (i) => (i.priority ? [i.priority] : []),
  labels: (i) => i.labels,
  parent: (i) => (i.parent ? [i.parent] : []),
  sprint: (i) => i.sprints.map(String),
};

/** Parses JQL into a predicate and an order. Throws JqlError for what Jira would reject. */
export function compileJql(jql: string): { where: Predicate; orderBy: { field: string; desc: boolean }[] } {
  const tokens = tokenize(jql);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === w;
  const value = (ctx: JqlContext, t: Token): string[] => {
    if (t.kind === 'word' && t.text === 'currentUser()') return [ctx.currentAccountId];
    if (t.kind === 'word' && t.text === 'openSprints()') return ctx.openSprintIds.map(String);
    if (t.kind === 'word' && t.text.endsWith('()'))
      throw new JqlError(`Unable to find JQL function '${t.text}'.`);
    return [t.text];
  };

  function clause(): Predicate {
    if (isWord('not')) {
      pos++;
      const inner = clause();
      return (i, c) => !inner(i, c);
    }
    if (peek()?.kind === 'lparen') {
      pos++;
      const inner = or();
      if (peek()?.kind !== 'rparen') throw new JqlError("Error in the JQL Query: Expecting ')'.");
      pos++;
      return inner;
    }
    const fieldToken = tokens[pos++];
    if (!fieldToken || (fieldToken.kind !== 'word' && fieldToken.kind !== 'string')) {
      throw new JqlError('Error in the JQL Query: Expecting a field name.');
    }
    const name = fieldToken.text.toLowerCase();
    const get = FIELDS[name];
    if (!get)
      throw new JqlError(
        `Field '${fieldToken.text}' does not exist or you do not have permission to view it.`,
      );
    let op = '';
    if (peek()?.kind === 'op') op = tokens[pos++]!.text;
    else if (isWord('in')) {
      pos++;
      op = 'in';
    } else if (isWord('not') && tokens[pos + 1]?.text.toLowerCase() === 'in') {
      pos += 2;
      op = 'not in';
    } else if (isWord('is')) {
      pos++;
      op = 'is';
      if (isWord('not')) {
        pos++;
        op = 'is not';
      }
    } else throw new JqlError(`Error in the JQL Query: Expecting an operator after '${fieldToken.text}'.`);
    const norm = (s: string) => s.toLowerCase();
    if (op === 'is' || op === 'is not') {
      if (!isWord('empty') && !isWord('null')) throw new JqlError('Error in the JQL Query: Expecting EMPTY.');
      pos++;
      return op === 'is' ? (i) => get(i).length === 0 : (i) => get(i).length > 0;
    }
    if (op === 'in' || op === 'not in') {
      if (peek()?.kind !== 'lparen') {
        const t = tokens[pos++]!;
        const vals = (c: JqlContext) => value(c, t).map(norm);
        return (i, c) => get(i).some((v) => vals(c).includes(norm(v))) === (op === 'in');
      }
      pos++;
      const list: Token[] = [];
      while (peek() && peek()!.kind !== 'rparen') {
        const t = tokens[pos++]!;
        if (t.kind !== 'comma') list.push(t);
      }
      pos++;
      return (i, c) => {
        const vals = list.flatMap((t) => value(c, t)).map(norm);
        return get(i).some((v) => vals.includes(norm(v))) === (op === 'in');
      };
    }
    const t = tokens[pos++];
    if (!t || (t.kind !== 'word' && t.kind !== 'string'))
      throw new JqlError(`Error in the JQL Query: Expecting a value after '${op}'.`);
    if (op === '~' || op === '!~') {
      const needle = norm(t.text).replace(/\*/g, '');
      return (i) => get(i).some((v) => norm(v).includes(needle)) === (op === '~');
    }
    if (op === '=' || op === '!=') {
      return (i, c) => {
        const vals = value(c, t).map(norm);
        return get(i).some((v) => vals.includes(norm(v))) === (op === '=');
      };
    }
    throw new JqlError(`The operator '${op}' is not supported by the '${fieldToken.text}' field.`);
  }
  function and(): Predicate {
    let left = clause();
    while (isWord('and')) {
      pos++;
      const l = left;
      const r = clause();
      left = (i, c) => l(i, c) && r(i, c);
    }
    return left;
  }
  function or(): Predicate {
    let left = and();
    while (isWord('or')) {
      pos++;
      const l = left;
      const r = and();
      left = (i, c) => l(i, c) || r(i, c);
    }
    return left;
  }

  let where: Predicate = () => true;
  if (peek() && !isWord('order')) where = or();
  const orderBy: { field: string; desc: boolean }[] = [];
  if (isWord('order')) {
    pos++;
    if (!isWord('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    pos++;
    while (peek()) {
      const field = tokens[pos++]!.text.toLowerCase();
      let desc = false;
      if (isWord('desc') || isWord('asc')) desc = tokens[pos++]!.text.toLowerCase() === 'desc';
      orderBy.push({ field, desc });
      if (peek()?.kind === 'comma') pos++;
    }
  }
  if (peek())
    throw new JqlError(
      `Error in the JQL Query: The character '${peek()!.text}' is a reserved JQL character.`,
    );
  return { where, orderBy };
}
