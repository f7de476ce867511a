#!/usr/bin/env node
// file-journal-repair <journal>: keeps what precedes the first damaged line, moves the rest aside.
import { repairJournal } from './repair.js';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
  process.stderr.write(
    'Usage: file-journal-repair <journal file>\n' +
      'Keeps every line before the first damaged one and moves that line and the rest to\n' +
      '<journal file>.damaged-<time>. Safe while servers use the journal (it takes its lock).\n',
  );
  process.exit(args.length === 1 ? 0 : 2);
}
try {
  const result = await repairJournal(args[0]!);
  process.stdout.write(
    result.repaired
      ? `Repaired ${args[0]}: line ${result.damagedLine} was damaged (${result.reason}); kept the ${result.keptLines} lines before it, moved ${result.movedBytes} bytes to ${result.movedTo}\n`
      : `${args[0]} has no damaged line (${result.keptLines} lines); nothing changed\n`,
  );
} catch (error) {
  process.stderr.write(`file-journal-repair: ${(error as Error).message}\n`);
  process.exit(1);
}
