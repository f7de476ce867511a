/** Why an engine operation was refused. Maps one to one onto the MCP error envelope types. */
export type GoalErrorCode = 'validation' | 'not_found' | 'conflict';

/**
 * The one error the engine throws for refused input or a lost race. Its message names the
 * offending item (subtask index or ref, task id, the cycle) and never holds a stack of user data.
 */
export class GoalEngineError extends Error {
  readonly code: GoalErrorCode;
  /** A short suggestion for the caller. */
  readonly hint: string | undefined;

  constructor(code: GoalErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'GoalEngineError';
    this.code = code;
    this.hint = hint;
  }
}

/** Thrown by a store when the goal changed since it was read (stale `expectedVersion`). */
export class VersionConflictError extends GoalEngineError {
  constructor(goalId: string, expected: number, actual: number | null) {
    super(
      'conflict',
      `${goalId} changed concurrently (expected version ${expected}, found ${actual ?? 'none'})`,
    );
    this.name = 'VersionConflictError';
  }
}

export const isGoalEngineError = (error: unknown): error is GoalEngineError =>
  error instanceof Error && (error.name === 'GoalEngineError' || error.name === 'VersionConflictError');
