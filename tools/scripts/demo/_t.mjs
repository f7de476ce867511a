import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
async function load(entry) {
  const url = pathToFileURL(entry).href;
  const t0 = Date.now();
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    define: { 'import.meta.url': JSON.stringify(url) },
    banner: {
      js: `import { createRequire as __cr } from 'node:module'; const require = __cr(${JSON.stringify(url)});`,
    },
  });
  const t = r.outputFiles[0].text;
  const t1 = Date.now();
  const m = await import('data:text/javascript;base64,' + Buffer.from(t).toString('base64'));
  console.log(entry, t.length, t1 - t0, Date.now() - t1, Object.keys(m));
  return m;
}
const j = await load('/work/wt-demo/packages/mcp-jira/test/fake-jira/index.ts');
const g = await load('/work/wt-demo/packages/mcp-github/test/fake-github/index.ts');
let t = Date.now();
const fj = await j.startFakeJira();
console.log('jira', fj.url, Date.now() - t);
t = Date.now();
const fg = await g.startFakeGitHub();
console.log('gh', fg.url, Date.now() - t);
await fj.close();
await fg.close();
