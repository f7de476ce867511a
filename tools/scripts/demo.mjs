// `npm run demo` (which installs and builds first): the original README's "Real-World Example"
// across the goal agent, Jira and GitHub servers over stdio, against local stand-ins of Jira and
// GitHub (tools/scripts/demo/story.mjs). Everything it starts is stopped, and its temp folder
// removed, also on a failure or Ctrl-C.
import { Cleanup } from './demo/cleanup.mjs';
import { runDemo } from './demo/story.mjs';

const started = process.hrtime.bigint();
const cleanup = new Cleanup();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopping = true;
    console.error(`\n${signal}: stopping what the demo started…`);
    void cleanup.run().finally(() => process.exit(130));
  });
}
try {
  await runDemo({ cleanup });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `Done in ${seconds.toFixed(1)} s; the servers and stand-ins are stopped and the temp folder removed.`,
  );
} catch (error) {
  // After a signal, a call cut short is expected: the handler reports and exits.
  if (!stopping) {
    console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
