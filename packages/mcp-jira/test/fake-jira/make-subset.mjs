// Cuts the committed OpenAPI subset (test/fake-jira/openapi/*.subset.json) from Atlassian's full
// published descriptions: every operation on a path the test suite reached, and every component
// those operations reference. Regenerate after the fake serves new paths:
//   rm -f /tmp/jira-paths && JIRA_OPENAPI_DIR=<dir of the full files> JIRA_OPENAPI_RECORD=/tmp/jira-paths npx vitest run
//   node test/fake-jira/make-subset.mjs <dir of the full files> /tmp/jira-paths
import { readFileSync, writeFileSync } from 'node:fs';

const [dir, recordFile] = process.argv.slice(2);
const used = new Map();
for (const line of readFileSync(recordFile, 'utf8').split('\n').filter(Boolean)) {
  const [file, template] = line.split('\t');
  if (!used.has(file)) used.set(file, new Set());
  used.get(file).add(template);
}
for (const [file, templates] of used) {
  const spec = JSON.parse(readFileSync(`${dir}/${file}.openapi.json`, 'utf8'));
  const paths = Object.fromEntries([...templates].sort().map((t) => [t, spec.paths[t]]));
  const keep = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (
        key === '$ref' &&
        typeof value === 'string' &&
        value.startsWith('#/components/') &&
        !keep.has(value)
      ) {
        keep.add(value);
        const [, , kind, name] = value.split('/');
        walk(spec.components[kind][name]);
      } else walk(value);
    }
  };
  walk(paths);
  const components = {};
  for (const ref of [...keep].sort()) {
    const [, , kind, name] = ref.split('/');
    (components[kind] ??= {})[name] = spec.components[kind][name];
  }
  const subset = { openapi: spec.openapi, info: spec.info, paths, components };
  writeFileSync(new URL(`./openapi/${file}.subset.json`, import.meta.url), JSON.stringify(subset));
  console.error(`${file}: ${templates.size} paths, ${keep.size} components`);
}
