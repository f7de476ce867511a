import type { TaskStatus } from './model.js';
import type { ExecutionPlan } from './planner.js';

export interface MermaidTask {
  id: string;
  title: string;
  status: TaskStatus;
  dependencies: readonly string[];
}

const nodeId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) =>
  text
    .replace(/"/g, '#quot;')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))
    .replace(/\s+/g, ' ')
    .slice(0, 60);

/**
 * A Mermaid flowchart of a plan: one subgraph per phase (left to right), completed, blocked and
 * dropped tasks in their own subgraphs, an arrow from each dependency to its dependent, status
 * as a node class, and the critical path drawn with a thick border. O(V + E).
 */
export function planToMermaid(plan: ExecutionPlan, tasks: readonly MermaidTask[]): string {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const lines = ['flowchart LR'];
  const node = (id: string) => {
    const t = byId.get(id);
    return t
      ? `    ${nodeId(id)}["${id}: ${label(t.title)}<br/>${t.status}"]:::${t.status}`
      : `    ${nodeId(id)}["${id}"]`;
  };
  const group = (key: string, title: string, ids: readonly string[]) => {
    if (ids.length === 0) return;
    lines.push(`  subgraph ${key}["${title}"]`, ...ids.map(node), '  end');
  };
  group('done', 'Completed', plan.completed);
  plan.phases.forEach((ids, k) =>
    group(`phase${k + 1}`, `Phase ${k + 1}${ids.length > 1 ? ' (parallel)' : ''}`, ids),
  );
  group(
    'blocked',
    'Blocked',
    plan.blocked.map((b) => b.task_id),
  );
  group('dropped', 'Failed or cancelled', [...plan.failed, ...plan.cancelled]);
  for (const t of tasks) {
    for (const d of t.dependencies) if (byId.has(d)) lines.push(`  ${nodeId(d)} --> ${nodeId(t.id)}`);
  }
  lines.push(
    '  classDef pending fill:#f5f5f5,stroke:#888',
    '  classDef in_progress fill:#dbeafe,stroke:#2563eb',
    '  classDef completed fill:#dcfce7,stroke:#16a34a',
    '  classDef failed fill:#fee2e2,stroke:#dc2626',
    '  classDef blocked fill:#fef3c7,stroke:#d97706',
    '  classDef cancelled fill:#e5e7eb,stroke:#6b7280,stroke-dasharray:4',
    '  classDef critical stroke-width:3px',
  );
  if (plan.critical_path.task_ids.length > 0) {
    lines.push(`  class ${plan.critical_path.task_ids.map(nodeId).join(',')} critical`);
  }
  return lines.join('\n');
}
