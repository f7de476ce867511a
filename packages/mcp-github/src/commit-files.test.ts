import { FileChange, validateFileChanges, type TreeIndex } from './commit-files.js';

const tree: TreeIndex = {
  files: new Map([
    ['README.md', { mode: '100644' }],
    ['bin/run.sh', { mode: '100755' }],
  ]),
  dirs: new Set(['bin']),
  truncated: false,
};
const change = (f: Record<string, unknown>) => FileChange.parse(f);

describe('validateFileChanges', () => {
  it.each([
    ['a new text file', [{ path: 'a.txt', content: 'x' }], []],
    ['deleting a file that exists', [{ path: 'README.md', delete: true }], []],
    ['valid base64', [{ path: 'logo.png', content: 'iVBORw0KGgo=', encoding: 'base64' }], []],
    [
      'a path listed twice',
      [
        { path: 'a', content: '1' },
        { path: 'a', content: '2' },
      ],
      ['a is listed twice'],
    ],
    [
      'deleting a missing file',
      [{ path: 'gone.txt', delete: true }],
      ['gone.txt does not exist on main, so it cannot be deleted'],
    ],
    ['writing over a directory', [{ path: 'bin', content: 'x' }], ['bin is a directory']],
    [
      'base64 that is not',
      [{ path: 'x.bin', content: 'not base64!', encoding: 'base64' }],
      ['x.bin: content is not base64'],
    ],
  ])('%s', (_name, files, problems) => {
    expect(validateFileChanges(files.map(change), tree, 'main')).toEqual(problems);
  });

  it('allows deleting an unlisted file when the tree listing was truncated', () => {
    expect(
      validateFileChanges([change({ path: 'deep/x', delete: true })], { ...tree, truncated: true }, 'main'),
    ).toEqual([]);
  });
});
