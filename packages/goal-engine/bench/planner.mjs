// Planner benchmark: executionPlan (cycle check + phases + critical path) on generated DAGs of
// 1k to 1M tasks with about 2.5 dependencies each, beside a plain Kahn layering over string ids
// on an adjacency list, measured in the same run. Prints medians, time per task and the ratio.
// Usage: node bench/planner.mjs [sizes...]   (after a build; `pnpm nx run @org/goal-engine:bench`)
import { executionPlan } from '../dist/index.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const SIZES = sizes.length > 0 ? sizes : [1_000, 10_000, 100_000, 1_000_000];
const RUNS = { 1_000: 41, 10_000: 15, 100_000: 7, 1_000_000: 3 };

/** Deterministic PRNG (mulberry32), so every run plans the same graphs. */
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EFFORTS = ['30m', '2h', '4h', '1d', '2d', null];
const PRIORITIES = ['high', 'medium', 'low'];

/** n tasks; task i depends on 0–5 distinct earlier tasks (mean 2.5) from the previous 1,000. */
function generate(n, seed = 42) {
  const random = rng(seed);
  const ids = Array.from({ length: n }, (_, i) => `TASK-${String(i + 1).padStart(7, '0')}`);
  const tasks = new Array(n);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const want = Math.min(i, Math.floor(random() * 6));
    const deps = new Set();
    while (deps.size < want) deps.add(i - 1 - Math.floor(random() * Math.min(i, 1000)));
    edges += deps.size;
    tasks[i] = {
      id: ids[i],
      status: 'pending',
      priority: PRIORITIES[Math.floor(random() * 3)],
      dependencies: [...deps].map((d) => ids[d]),
      estimated_effort: EFFORTS[Math.floor(random() * EFFORTS.length)],
    };
  }
  return { tasks, edges };
}

/** The yardstick: Kahn layering with Maps keyed by string id and arrays of string successors. */
function kahnBaseline(tasks) {
  const indegree = new Map();
  const successors = new Map();
  for (const t of tasks) {
    indegree.set(t.id, 0);
    successors.set(t.id, []);
  }
  for (const t of tasks) {
    for (const d of t.dependencies) {
      successors.get(d).push(t.id);
      indegree.set(t.id, indegree.get(t.id) + 1);
    }
  }
  const layers = [];
  let layer = tasks.filter((t) => indegree.get(t.id) === 0).map((t) => t.id);
  while (layer.length > 0) {
    layers.push(layer);
    const next = [];
    for (const id of layer) {
      for (const w of successors.get(id)) {
        const k = indegree.get(w) - 1;
        indegree.set(w, k);
        if (k === 0) next.push(w);
      }
    }
    layer = next;
  }
  return layers;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, runs) {
  const samples = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: median(samples), result };
}

console.log(
  `node ${process.version}; medians of interleaved runs; plan = executionPlan (cycle check + phases + critical path)`,
);
console.log('tasks      edges      plan ms   ns/task   kahn ms   ns/task   plan/kahn  phases');
for (const n of SIZES) {
  const { tasks, edges } = generate(n);
  const runs = RUNS[n] ?? 3;
  // Warm up both, then alternate them so machine noise hits both alike.
  executionPlan(tasks);
  kahnBaseline(tasks);
  const planSamples = [];
  const kahnSamples = [];
  let plan;
  let layers;
  for (let r = 0; r < runs; r++) {
    const p = time(() => executionPlan(tasks), 1);
    const k = time(() => kahnBaseline(tasks), 1);
    planSamples.push(p.ms);
    kahnSamples.push(k.ms);
    plan = p.result;
    layers = k.result;
  }
  if (plan.phases.length !== layers.length || plan.cycle !== null)
    throw new Error('plan and baseline disagree');
  const planMs = median(planSamples);
  const kahnMs = median(kahnSamples);
  console.log(
    [
      String(n).padEnd(10),
      String(edges).padEnd(10),
      planMs.toFixed(1).padStart(8),
      ((planMs * 1e6) / n).toFixed(0).padStart(9),
      kahnMs.toFixed(1).padStart(9),
      ((kahnMs * 1e6) / n).toFixed(0).padStart(9),
      (planMs / kahnMs).toFixed(2).padStart(10),
      String(plan.phases.length).padStart(7),
    ].join(' '),
  );
}
