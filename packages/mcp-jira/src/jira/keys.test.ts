import { jqlString, jqlValue, splitJql } from './keys.js';
import { ProjectsFilter } from './projects-filter.js';

describe('JQL helpers', () => {
  it('jqlString escapes quotes and backslashes', () => {
    expect(jqlString('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
  });
  it('jqlValue lets only allow-listed functions through unquoted', () => {
    expect(jqlValue('currentUser()')).toBe('currentUser()');
    expect(jqlValue('EMPTY')).toBe('EMPTY');
    expect(jqlValue('membersOf("x")')).toBe('"membersOf(\\"x\\")"');
  });
  it.each([
    ['project = A ORDER BY created DESC', 'project = A', 'ORDER BY created DESC'],
    ['summary ~ "order by" AND x = 1', 'summary ~ "order by" AND x = 1', ''],
    ['ORDER BY key', '', 'ORDER BY key'],
    ['(a = 1 OR b = 2) order by rank', '(a = 1 OR b = 2)', 'order by rank'],
  ])('splitJql(%s)', (jql, where, orderBy) => {
    expect(splitJql(jql)).toEqual({ where, orderBy });
  });
  it.each(['a = 1) OR (b = 2', '(a = 1', 'a = "x'])('splitJql refuses unbalanced %s', (jql) => {
    expect(() => splitJql(jql)).toThrow(/unmatched|unterminated/);
  });
});

describe('ProjectsFilter', () => {
  const f = new ProjectsFilter(['ENG', 'OPS']);
  it('confines JQL and keeps its order', () => {
    expect(f.confine('status = Done ORDER BY key')).toBe(
      'project in ("ENG", "OPS") AND (status = Done) ORDER BY key',
    );
    expect(f.confine('ORDER BY key')).toBe('project in ("ENG", "OPS") ORDER BY key');
    expect(new ProjectsFilter(undefined).confine('x = 1')).toBe('x = 1');
  });
  it('keeps allowed issues only', () => {
    expect(
      f
        .keep([{ key: 'ENG-1' }, { key: 'WEB-1' }, { key: 'X-1', fields: { project: { key: 'OPS' } } }])
        .map((i) => i.key),
    ).toEqual(['ENG-1', 'X-1']);
  });
  it('refuses issue ids it cannot check', () => {
    expect(() => f.assertIssue('10001')).toThrow(/cannot be checked/);
    expect(() => f.assertIssue('WEB-1')).toThrow(/outside/);
    expect(() => f.assertIssue('OPS-9')).not.toThrow();
  });
});
