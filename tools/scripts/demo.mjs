// The main job: the README's "add rate limiting to our API" example, end to end, through
// a real MCP client talking to @org/mcp-goal-agent over stdio on its embedded file store.
// Run through `npm run demo`, which installs and builds first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readToolResult, spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';

const bin = fileURLToPath(new URL('../../packages/mcp-goal-agent/dist/bundle/bin.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'goal-agent-demo-'));
const server = await spawnStdioServer({
  command: process.execPath,
  args: [bin],
  env: { PATH: process.env.PATH, GOAL_AGENT_DATA_DIR: dataDir },
});

const say = (text = '') => console.log(text);
async function call(name, args = {}) {
  const result = readToolResult(await server.client.callTool({ name, arguments: args }));
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

try {
  const info = server.client.getServerVersion();
  say(`Connected to ${info.name} ${info.version} over stdio (file store in ${dataDir}).`);
  say();
  say('User: "Create a goal to add rate limiting to our API"');
  const goal = await call('create_goal', {
    description: 'Add rate limiting to our API',
    priority: 'high',
    repos: ['your-org/api'],
  });
  say(`  ✓ Created ${goal.id}: ${goal.title}`);
  say();
  say('User: "Break it down into tasks"');
  const { tasks } = await call('break_down_goal', {
    goal_id: goal.id,
    subtasks: [
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
      {
        ref: 'tests',
        description: 'Add tests',
        dependencies: ['impl'],
        estimated_effort: '1d',
        type: 'testing',
      },
      {
        ref: 'docs',
        description: 'Update documentation',
        dependencies: ['impl'],
        estimated_effort: '2h',
        type: 'documentation',
      },
      {
        description: 'Security review',
        dependencies: ['tests', 'docs'],
        estimated_effort: '4h',
        type: 'review',
      },
    ],
  });
  say(`  ✓ Created ${tasks.length} tasks:`);
  for (const t of tasks)
    say(
      `    • ${t.id}: ${t.title}${t.dependencies.length ? ` (depends: ${t.dependencies.join(', ')})` : ''}  [${t.estimated_effort}]`,
    );
  say();
  say('User: "What can start now?"');
  const next = await call('get_next_tasks', { goal_id: goal.id });
  for (const t of next.tasks) say(`  → ${t.id}: ${t.title}`);
  say();
  say('User: "Generate execution plan"');
  const plan = await call('generate_execution_plan', { goal_id: goal.id, include_mermaid: true });
  say(`  ✓ ${plan.total_phases}-phase execution plan:`);
  for (const phase of plan.execution_phases) {
    say(
      `    Phase ${phase.phase}: ${phase.tasks.map((t) => `${t.id} (${t.title})`).join(', ')}${phase.parallel_execution_possible ? '  — in parallel' : ''}`,
    );
  }
  say(
    `  Critical path: ${plan.critical_path.task_ids.join(' → ')} = ${plan.critical_path.hours} hours (a day is 8 h)`,
  );
  say();
  say('  Mermaid:');
  for (const line of plan.mermaid.split('\n')) say(`    ${line}`);
  say();
  say('User: "I finished the research; an agent takes the next task"');
  await call('update_task_status', {
    task_id: tasks[0].id,
    status: 'completed',
    result: { chosen: 'token bucket in Redis' },
  });
  const claim = await call('claim_next_task', { owner: 'agent-1', goal_id: goal.id, lease_seconds: 3600 });
  say(
    `  ✓ ${tasks[0].id} completed; agent-1 claimed ${claim.task.id}: ${claim.task.title} (lease until ${claim.task.lease_expires_at})`,
  );
  const progress = await call('get_goal', { goal_id: goal.id, detail: 'none' });
  say(
    `  Progress: ${progress.progress.percent_complete}% complete, ${progress.progress.remaining_critical_hours} h left on the critical path; goal is ${progress.goal.status}.`,
  );
} finally {
  const code = await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (code !== 0 || server.nonProtocolLines.length > 0) {
    console.error(`the server exited with ${code} or wrote non-protocol output`);
    process.exitCode = 1;
  }
}
