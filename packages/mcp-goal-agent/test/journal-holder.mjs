// Takes a journal's lock through a write that never finishes, as a process stuck or killed
// mid-write would: node journal-holder.mjs <journal file>. Prints "locked" once it holds it.
import { writeSync } from 'node:fs';
import { Journal } from '@org/file-journal';

const journal = new Journal(process.argv[2], {
  apply: () => undefined,
  reset: () => undefined,
  snapshot: () => ({}),
});
void journal.write(() => {
  writeSync(1, 'locked\n');
  for (;;);
});
