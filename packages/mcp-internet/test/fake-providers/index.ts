// Stand-ins for the six search providers, one file each.
export { startFakeBrave } from './brave.js';
export { startFakeTavily } from './tavily.js';
export { startFakeExa } from './exa.js';
export { startFakeSerper } from './serper.js';
export { startFakeSearxng } from './searxng.js';
export { startFakeGoogle } from './google.js';
export type { Failure, FakeOptions, FakeProvider } from './common.js';
