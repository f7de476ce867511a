import * as api from './index.js';

// The export list is the public API: a change here is a semver decision, made in review.
it('@org/goal-engine exports exactly these values', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "GOAL_ID_PATTERN",
      "GOAL_STATUSES",
      "GoalEngine",
      "GoalEngineError",
      "MemoryGoalStore",
      "PRIORITIES",
      "TASK_ID_PATTERN",
      "TASK_STATUSES",
      "VersionConflictError",
      "byIdNumber",
      "executionPlan",
      "findCycle",
      "formatCycle",
      "freezeDeep",
      "goalId",
      "goalProgress",
      "idNumber",
      "idsInUse",
      "isGoalEngineError",
      "parseEffort",
      "planToMermaid",
      "readyTasks",
      "taskId",
    ]
  `);
});
