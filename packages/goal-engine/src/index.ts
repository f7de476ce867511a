// The public API of @org/goal-engine (pure: no I/O, no clock). Every export is a semver promise:
// add one on purpose, name it (no `export *`), and update index.test.ts, which snapshots this list.
export {
  PRIORITIES,
  GOAL_STATUSES,
  TASK_STATUSES,
  GOAL_ID_PATTERN,
  TASK_ID_PATTERN,
  goalId,
  taskId,
  idNumber,
  byIdNumber,
} from './model.js';
export type { Priority, GoalStatus, TaskStatus, Json, Goal, Task, TaskLinks } from './model.js';
export { GoalEngineError, VersionConflictError, isGoalEngineError } from './errors.js';
export type { GoalErrorCode } from './errors.js';
export { parseEffort } from './effort.js';
export { findCycle, formatCycle, executionPlan, readyTasks, goalProgress } from './planner.js';
export type {
  PlanTask,
  ExecutionPlan,
  BlockedTask,
  CriticalPath,
  ReadyTask,
  ReadyOptions,
  GoalProgress,
} from './planner.js';
export { planToMermaid } from './mermaid.js';
export type { MermaidTask } from './mermaid.js';
export { MemoryGoalStore, freezeDeep, idsInUse } from './store.js';
export type { GoalStore, GoalCommit } from './store.js';
export { GoalEngine } from './engine.js';
export type {
  EngineOptions,
  CreateGoalInput,
  UpdateGoalInput,
  SubtaskInput,
  StatusUpdate,
  DeleteMode,
  LinkInput,
  BatchItemResult,
  ClaimInput,
  StateSnapshot,
} from './engine.js';
