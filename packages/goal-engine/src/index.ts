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
  emptyCounts,
  countByStatus,
  titleFrom,
} from './model.js';
export type { Priority, GoalStatus, TaskStatus, Json, Goal, Task, TaskLinks } from './model.js';
export { GoalEngineError, VersionConflictError, isGoalEngineError } from './errors.js';
export type { GoalErrorCode } from './errors.js';
export { parseEffort } from './effort.js';
export {
  findCycle,
  formatCycle,
  executionPlan,
  readyTasks,
  goalProgress,
  DEFAULT_EFFORT_HOURS,
} from './planner.js';
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
export { MemoryGoalStore, freezeDeep } from './store.js';
export { normalizeSnapshot } from './snapshot.js';
export type { NormalizedSnapshot } from './snapshot.js';
export type { GoalStore, GoalCommit } from './store.js';
export { GoalEngine, rollUpStatus } from './engine.js';
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
