// The demo's story run for real (three bundled servers over stdio, the two fakes on 127.0.0.1),
// checked against what the fakes hold afterwards, not against what the demo printed; and a run
// that fails midway still stops everything and removes its temp folder.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from './story.mjs';

/** Bundled servers this process still has as children. */
function childServers() {
  const out = execFileSync('ps', ['-eo', 'ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.trim().startsWith(`${process.pid} `) && line.includes('dist/bundle/bin.js'));
}

describe('npm run demo', () => {
  it('creates the goal, six Jira issues linked and in the active sprint, the branch, and links the tasks', async () => {
    const lines = [];
    const outcome = await runDemo({ say: (line = '') => lines.push(line) });
    const { jira, github } = outcome.record;
    const key = (taskId) => outcome.keys[taskId];

    expect(lines.join('\n')).toContain('no account is needed and nothing leaves the machine');
    expect(outcome.tasks).toHaveLength(6);
    expect(outcome.plan.total_phases).toBe(5);

    // Six issues in the fake Jira, one per task, every one in the board's active sprint.
    expect(jira.issues.map((i) => i.summary)).toEqual(outcome.tasks.map((t) => t.title));
    expect(jira.issues.map((i) => i.key)).toEqual(outcome.tasks.map((t) => key(t.id)));
    expect(jira.bulk_requests).toBe(1);
    expect(jira.active_sprint).toMatchObject({ state: 'active' });
    for (const issue of jira.issues) expect(issue.sprint_ids).toEqual([jira.active_sprint.id]);

    // A "Blocks" link for each dependency: the dependency blocks the task.
    const expected = outcome.tasks.flatMap((t) =>
      t.dependencies.map((dep) => ({ type: 'Blocks', outward: key(dep), inward: key(t.id) })),
    );
    expect(expected).toHaveLength(6);
    expect(jira.links).toEqual(expected);

    // The branch exists in the fake GitHub, and the implementation issue links to it.
    expect(github.branches.sort()).toEqual(['feature/rate-limiting', 'main']);
    const impl = outcome.tasks.find((t) => t.type === 'code');
    expect(jira.issues.find((i) => i.key === key(impl.id)).remote_links).toEqual([
      'https://github.com/your-org/api/tree/feature/rate-limiting',
    ]);

    // The goal agent's tasks carry their Jira keys (and the implementation task its branch).
    for (const t of outcome.final.tasks) {
      expect(t.jira_ticket).toBe(key(t.id));
      expect(t.links.branch).toBe(t.id === impl.id ? 'feature/rate-limiting' : null);
    }

    expect([...jira.violations, ...github.violations]).toEqual([]);
    expect(existsSync(outcome.dataDir)).toBe(false);
    expect(childServers()).toEqual([]);
  });

  it('stops the servers and stand-ins and removes its temp folder when a step fails', async () => {
    const lines = [];
    const say = (line = '') => {
      lines.push(line);
      if (line.startsWith('User: "Create Jira tickets')) {
        expect(childServers()).toHaveLength(3);
        throw new Error('stop here');
      }
    };
    await expect(runDemo({ say })).rejects.toThrow('stop here');
    const dataDir = /goal store: files in (\S+)\)\./.exec(lines.join('\n'))?.[1];
    expect(dataDir).toBeTruthy();
    expect(existsSync(dataDir)).toBe(false);
    expect(childServers()).toEqual([]);
  });
});
