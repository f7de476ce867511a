// A process that takes a journal's lock and holds it until killed: node lock-holder.mjs <journal>
import { FileLock } from '../dist/lock.js';

const lock = new FileLock(process.argv[2]);
await lock.acquire();
process.stdout.write('locked\n');
setInterval(() => undefined, 1 << 30);
