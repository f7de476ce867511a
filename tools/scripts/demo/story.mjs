// The original README's "Real-World Example", end to end across three servers: a goal broken into
// six tasks and planned (goal agent, embedded file store), a Jira issue per task with the
// dependencies linked and all in the active sprint, a branch for the implementation task on
// GitHub, and the goal's tasks linked to their issues and the branch. Each server is its bundled
// bin, spawned over stdio and spoken to by a real MCP client; Jira and GitHub are the local
// stand-ins of fakes.mjs. runDemo returns what happened, with the stand-ins' own record of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readToolResult, spawnStdioServer } from '../../../packages/mcp-core/dist/testing/index.js';
import { Cleanup } from './cleanup.mjs';
import { startStandIns } from './fakes.mjs';

const bin = (pkg) => fileURLToPath(new URL(`../../../packages/${pkg}/dist/bundle/bin.js`, import.meta.url));
const REPO = 'your-org/api';
const BRANCH = 'feature/rate-limiting';

const SUBTASKS = [
  {
    ref: 'research',
    description: 'Research rate limiting strategies',
    estimated_effort: '4h',
    type: 'research',
  },
  {
    ref: 'design',
    description: 'Design rate limit middleware',
    dependencies: ['research'],
    estimated_effort: '1d',
  },
  {
    ref: 'impl',
    description: 'Implement Redis-based limiter',
    dependencies: ['design'],
    estimated_effort: '2d',
    type: 'code',
  },
  { ref: 'tests', description: 'Add tests', dependencies: ['impl'], estimated_effort: '1d', type: 'testing' },
  {
    ref: 'docs',
    description: 'Update documentation',
    dependencies: ['impl'],
    estimated_effort: '2h',
    type: 'documentation',
  },
  { description: 'Security review', dependencies: ['tests', 'docs'], estimated_effort: '4h', type: 'review' },
];

/** Spawns one bundled server over stdio; its close is registered on `cleanup`. */
async function startServer(cleanup, pkg, env) {
  const spawning = spawnStdioServer({
    command: process.execPath,
    args: [bin(pkg)],
    env: { PATH: process.env.PATH, ...env },
  });
  const problems = [];
  // Registered before the server answers, so a Ctrl-C during start-up stops it too.
  cleanup.add(async () => {
    const server = await spawning.catch(() => undefined);
    if (!server) return;
    const code = await server.close();
    if (code !== 0) problems.push(`${pkg} exited with ${code}: ${server.stderr().trim()}`);
    if (server.nonProtocolLines.length > 0) problems.push(`${pkg} wrote non-protocol output on stdout`);
  });
  const server = await spawning;
  const call = async (name, args = {}) => {
    const result = readToolResult(await server.client.callTool({ name, arguments: args }));
    if (!result.ok) throw new Error(`${pkg} ${name} failed: ${JSON.stringify(result.error)}`);
    return result.data;
  };
  return { server, call, problems };
}

/** What the stand-ins hold at the end: the demo's outcome as Jira and GitHub would show it. */
function recordOf(jira, github) {
  const scrum = jira.state.boards.find((b) => b.projectKey === 'ENG' && b.type === 'scrum');
  const issues = [...jira.state.issues.values()].map((i) => ({
    key: i.key,
    summary: i.fields.summary,
    sprint_ids: (i.fields.customfield_10020 ?? []).map((s) => s.id),
    remote_links: i.remoteLinks.map((l) => l.object.url),
  }));
  return {
    jira: {
      issues,
      links: jira.state.links.map((l) => ({ type: l.type.name, outward: l.outward, inward: l.inward })),
      active_sprint: jira.state.sprints.find((s) => s.state === 'active' && s.boardId === scrum.id),
      requests: jira.requests.length,
      bulk_requests: jira.sent('POST', /^\/rest\/api\/3\/issue\/bulk/).length,
      violations: [...jira.violations],
    },
    github: {
      branches: [...github.repos.get(REPO).refs.keys()].map((ref) => ref.replace(/^heads\//, '')),
      requests: github.requests.length,
      violations: [...github.violations],
    },
  };
}

/**
 * Runs the whole example and returns its outcome. `say` prints a line; `cleanup` (made here when
 * not given) is run at the end, also on failure, before the failure is passed on.
 */
export async function runDemo({ say = console.log, cleanup = new Cleanup() } = {}) {
  const servers = [];
  let outcome;
  try {
    outcome = await story(say, cleanup, servers);
  } catch (error) {
    await cleanup.run();
    throw error;
  }
  const errors = await cleanup.run();
  const problems = [...errors.map((e) => e.message ?? String(e)), ...servers.flatMap((s) => s.problems)];
  if (problems.length > 0) throw new Error(`the demo did not end cleanly: ${problems.join('; ')}`);
  return outcome;
}

async function story(say, cleanup, servers) {
  const dataDir = mkdtempSync(join(tmpdir(), 'org-demo-'));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const standIns = await startStandIns();
  cleanup.add(() => standIns.close());
  const { jira: fakeJira, github: fakeGitHub } = standIns;
  say(`Jira and GitHub here are local stand-ins this demo started on 127.0.0.1 (Jira at ${fakeJira.url},`);
  say(`GitHub at ${fakeGitHub.url}): no account is needed and nothing leaves the machine.`);

  const [goals, jira, github] = await Promise.all([
    startServer(cleanup, 'mcp-goal-agent', { GOAL_AGENT_DATA_DIR: dataDir }),
    startServer(cleanup, 'mcp-jira', {
      JIRA_BASE_URL: fakeJira.url,
      JIRA_EMAIL: fakeJira.email,
      JIRA_API_TOKEN: fakeJira.token,
      JIRA_PROJECT_KEY: 'ENG',
      MCP_TOOLSETS: 'issues,bulk,links,agile',
      // The stand-in has no rate limit to respect (the default spaces requests by 0.5 s).
      JIRA_RATE_LIMIT_DELAY: '0',
    }),
    startServer(cleanup, 'mcp-github', {
      GITHUB_PERSONAL_ACCESS_TOKEN: fakeGitHub.token,
      GITHUB_API_URL: fakeGitHub.url,
      GITHUB_ALLOWED_REPOS: 'your-org/*',
    }),
  ]);
  servers.push(goals, jira, github);
  const names = servers.map(({ server }) => {
    const v = server.client.getServerVersion();
    return `${v.name} ${v.version}`;
  });
  say(`Three MCP servers over stdio: ${names.join(', ')} (goal store: files in ${dataDir}).`);
  say();

  // Goal agent: the goal, its tasks and the plan.
  say('User: "Create a goal to add rate limiting to our API"');
  const goal = await goals.call('create_goal', {
    description: 'Add rate limiting to our API',
    priority: 'high',
    repos: [REPO],
  });
  say(`  ✓ Created ${goal.id}: ${goal.title}`);
  say();
  say('User: "Break it down into tasks"');
  const { tasks } = await goals.call('break_down_goal', { goal_id: goal.id, subtasks: SUBTASKS });
  say(`  ✓ Created ${tasks.length} tasks:`);
  for (const t of tasks) {
    const deps = t.dependencies.length ? ` (depends: ${t.dependencies.join(', ')})` : '';
    say(`    • ${t.id}: ${t.title}${deps}  [${t.estimated_effort}]`);
  }
  say();
  say('User: "Generate execution plan"');
  const plan = await goals.call('generate_execution_plan', { goal_id: goal.id, include_mermaid: true });
  say(`  ✓ ${plan.total_phases}-phase execution plan:`);
  for (const phase of plan.execution_phases) {
    const list = phase.tasks.map((t) => `${t.id} (${t.title})`).join(', ');
    say(`    Phase ${phase.phase}: ${list}${phase.parallel_execution_possible ? '  — in parallel' : ''}`);
  }
  say(
    `  Critical path: ${plan.critical_path.task_ids.join(' → ')} = ${plan.critical_path.hours} hours (a day is 8 h)`,
  );
  say('  Mermaid:');
  for (const line of plan.mermaid.split('\n')) say(`    ${line}`);
  say();

  // Jira: an issue per task, the dependencies as "blocks" links, all in the active sprint.
  say('User: "Create Jira tickets for each task and add to current sprint"');
  const bulk = await jira.call('jira_create_issues_bulk', {
    issues: tasks.map((t) => ({
      summary: t.title,
      description: [
        `Task **${t.id}** of ${goal.id} (${goal.title}), estimated ${t.estimated_effort}.`,
        t.dependencies.length ? `\nDepends on: ${t.dependencies.join(', ')}.` : '',
      ].join(''),
      labels: ['rate-limiting', t.type],
    })),
  });
  if (bulk.failed > 0) throw new Error(`jira_create_issues_bulk: ${JSON.stringify(bulk.results)}`);
  const keyOf = new Map(tasks.map((t, i) => [t.id, bulk.results[i].key]));
  const keys = [...keyOf.values()];
  const bulkRequests = fakeJira.sent('POST', /^\/rest\/api\/3\/issue\/bulk/).length;
  say(
    `  ✓ Created ${bulk.created} Jira issues: ${keys[0]} through ${keys.at(-1)} (${bulkRequests} bulk request${bulkRequests === 1 ? '' : 's'})`,
  );
  for (const t of tasks) say(`      ${keyOf.get(t.id)}  ${t.title}`);
  const links = [];
  for (const t of tasks) {
    for (const dep of t.dependencies) {
      const link = await jira.call('jira_link_issues', {
        outward_issue: keyOf.get(dep),
        inward_issue: keyOf.get(t.id),
        link_type: 'Blocks',
      });
      links.push(link.text);
    }
  }
  say(`  ✓ Linked dependencies in Jira:`);
  for (const text of links) say(`      ${text}`);
  const { boards } = await jira.call('jira_get_boards', { project_key: 'ENG' });
  const board = boards.find((b) => b.type === 'scrum');
  if (!board) throw new Error(`no Scrum board for ENG: ${JSON.stringify(boards)}`);
  const { sprints } = await jira.call('jira_get_active_sprints', { board_id: board.id });
  const sprint = sprints[0];
  if (!sprint) throw new Error(`no active sprint on board ${board.id}`);
  await jira.call('jira_add_to_sprint', { sprint_id: sprint.id, issue_keys: keys });
  say(`  ✓ Added to ${sprint.name} (sprint ${sprint.id}, "${sprint.goal ?? ''}", board "${board.name}")`);
  for (const t of tasks) await goals.call('link_task', { task_id: t.id, jira_key: keyOf.get(t.id) });
  say(`  ✓ Linked each goal task to its issue (link_task)`);
  say();

  // GitHub: the branch for the implementation task, linked from the task and the issue.
  say('User: "Create a branch for the implementation task"');
  const impl = tasks.find((t) => t.type === 'code');
  const branch = await github.call('create_branch', { repo_name: REPO, branch_name: BRANCH });
  const info = await github.call('get_branch_info', { repo_name: REPO, branch_name: BRANCH });
  const webUrl = `https://github.com/${REPO}/tree/${BRANCH}`;
  say(
    `  ✓ Created branch: ${branch.branch_name} in ${REPO}, from ${branch.source_branch} at ${info.commit.sha.slice(0, 7)}`,
  );
  say(`    (on GitHub that is ${webUrl}; here it is in the stand-in)`);
  await goals.call('link_task', { task_id: impl.id, branch: BRANCH });
  await jira.call('jira_add_remote_link', {
    issue_key: keyOf.get(impl.id),
    url: webUrl,
    title: `Branch ${BRANCH}`,
    relationship: 'implemented in',
  });
  say(`  ✓ ${impl.id} and ${keyOf.get(impl.id)} link to the branch`);
  say();

  say('User: "Show the goal with its tickets"');
  const full = await goals.call('get_goal', { goal_id: goal.id, detail: 'full' });
  for (const t of full.tasks) {
    const extra = t.links.branch ? `, branch ${t.links.branch}` : '';
    say(`    ${t.id} → ${t.jira_ticket}${extra}  ${t.title}  [${t.status}]`);
  }
  say();

  say('User: "I finished the research; an agent takes the next task"');
  await goals.call('update_task_status', {
    task_id: tasks[0].id,
    status: 'completed',
    result: { chosen: 'token bucket in Redis' },
  });
  const claim = await goals.call('claim_next_task', {
    owner: 'agent-1',
    goal_id: goal.id,
    lease_seconds: 3600,
  });
  say(
    `  ✓ ${tasks[0].id} completed; agent-1 claimed ${claim.task.id}: ${claim.task.title} (${claim.task.jira_ticket})`,
  );
  const progress = await goals.call('get_goal', { goal_id: goal.id, detail: 'none' });
  say(
    `  Progress: ${progress.progress.percent_complete}% complete, ${progress.progress.remaining_critical_hours} h left on the critical path; goal is ${progress.goal.status}.`,
  );

  const record = recordOf(fakeJira, fakeGitHub);
  say();
  say(
    `The stand-ins answered ${record.jira.requests} Jira and ${record.github.requests} GitHub requests, each checked against the vendor's published OpenAPI description: ${record.jira.violations.length + record.github.violations.length} violations.`,
  );
  return {
    dataDir,
    goal,
    tasks,
    plan,
    keys: Object.fromEntries(keyOf),
    links,
    board,
    sprint,
    branch,
    final: full,
    record,
  };
}
