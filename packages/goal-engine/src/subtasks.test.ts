import type { Task } from './model.js';
import { existingDependencyIds, validateSubtasks } from './subtasks.js';

const task = (id: string, goal_id: string) => ({ id, goal_id }) as Task;

describe('validateSubtasks (pure)', () => {
  it('resolves positions, refs and existing ids of the goal', () => {
    const subtasks = [
      { description: 'a', ref: 'a' },
      { description: 'b', dependencies: [0, 'TASK-0007'] },
      { description: 'c', dependencies: ['a', 1] },
    ];
    expect(existingDependencyIds(subtasks)).toEqual(['TASK-0007']);
    const { resolved, problems } = validateSubtasks(
      'GOAL-0001',
      subtasks,
      new Map([['TASK-0007', task('TASK-0007', 'GOAL-0001')]]),
    );
    expect(problems).toEqual([]);
    expect(resolved).toEqual([[], [0, 'TASK-0007'], [0, 1]]);
  });

  it.each([
    [
      'a missing id',
      [{ description: 'x', dependencies: ['TASK-0009'] }],
      /dependency TASK-0009 does not exist/,
    ],
    [
      'another goal',
      [{ description: 'x', dependencies: ['TASK-0008'] }],
      /belongs to GOAL-0002; dependencies stay within one goal/,
    ],
    ['itself', [{ description: 'x', dependencies: [0] }], /a task cannot depend on itself/],
    [
      'out of range',
      [{ description: 'x', dependencies: [3] }],
      /dependency 3 is not a position in this batch \(0 to 0\)/,
    ],
    [
      'twice',
      [{ description: 'x' }, { description: 'y', dependencies: [0, 0] }],
      /dependency 0 is listed twice/,
    ],
    ['an id-like ref', [{ description: 'x', ref: 'TASK-0001' }], /looks like a task id/],
    [
      'a duplicate ref',
      [
        { description: 'x', ref: 'r' },
        { description: 'y', ref: 'r' },
      ],
      /ref "r" is already used by subtasks\[0\]/,
    ],
    ['an empty description', [{ description: ' ' }], /subtasks\[0\]: description must not be empty/],
    ['a bad effort', [{ description: 'x', estimated_effort: 'soon' }], /is not an effort/],
    [
      'a cycle',
      [
        { description: 'x', ref: 'x', dependencies: ['y'] },
        { description: 'y', ref: 'y', dependencies: ['x'] },
      ],
      /dependency cycle: subtasks\[\d\] \(ref "\w"\) → subtasks\[\d\] \(ref "\w"\) → subtasks\[\d\]/,
    ],
  ])('names %s', (_name, subtasks, problem) => {
    const existing = new Map([
      ['TASK-0009', null],
      ['TASK-0008', task('TASK-0008', 'GOAL-0002')],
    ]);
    const { problems } = validateSubtasks('GOAL-0001', subtasks, existing);
    expect(problems.join('; ')).toMatch(problem);
  });
});
