import { existsSync } from 'node:fs';
import { CLIENTS, clientFile, type ClientFile, type ClientId, type Place } from './clients.js';
import { loadFile, SetupError } from './config-file.js';
import { readEntry, serverOf } from './entries.js';
import { blamedVariables, failures, listTools, runCheck } from './run-server.js';

interface Group {
  label: string;
  file: ClientFile;
  servers: Record<string, unknown>;
}

/** Every file of the clients that exists, with Claude Code's per-project ("local") servers too. */
function groups(
  clients: ClientId[],
  place: Place,
  out: (line: string) => void,
): { found: Group[]; broken: boolean } {
  const found: Group[] = [];
  let broken = false;
  const seen = new Set<string>(); // a project folder that is the home folder has one file for both scopes
  for (const client of clients) {
    for (const scope of CLIENTS[client].scopes) {
      const file = clientFile(client, scope, place)!;
      if (!existsSync(file.path) || seen.has(file.path)) continue;
      seen.add(file.path);
      const label = `${client}${scope === 'project' ? ' (project)' : ''}`;
      try {
        const loaded = loadFile(file);
        found.push({ label, file, servers: loaded.servers });
        const projects = loaded.document.projects as Record<string, { mcpServers?: unknown }> | undefined;
        const local =
          client === 'claude-code' && scope === 'user' ? projects?.[place.project]?.mcpServers : undefined;
        if (local && typeof local === 'object') {
          found.push({ label: `${client} (local)`, file, servers: local as Record<string, unknown> });
        }
      } catch (error) {
        if (!(error instanceof SetupError)) throw error;
        out(`FAIL  ${label}: ${error.message}`);
        broken = true;
      }
    }
  }
  return { found, broken };
}

/** One line for one configured server: ok with its tool count, or what is wrong and what to set. */
async function diagnose(
  client: ClientId,
  name: string,
  value: unknown,
): Promise<{ ok: boolean; text: string }> {
  const server = serverOf(value);
  const entry = readEntry(value);
  if (!server || !entry) return { ok: true, text: 'not an @org server: not checked' };
  const script = entry.args.find((a) => a.endsWith('.js'));
  if (entry.command !== 'npx' && script && !existsSync(script)) {
    return {
      ok: false,
      text: `${script} does not exist: build the clone (npm run configure builds it) or switch to the published package (mcp-setup --client ${client} --servers ${server.id} --from npm)`,
    };
  }
  const env = entry.env ?? {};
  const check = await runCheck(entry, env);
  if (!check.ok) {
    const problems = failures(check);
    const blamed = blamedVariables(problems);
    const fix =
      blamed.length > 0
        ? ` → set ${blamed.join(', ')}: mcp-setup --client ${client} --servers ${server.id} ${blamed.map((b) => `--env ${b}=…`).join(' ')}`
        : '';
    return { ok: false, text: `${problems.join('; ') || 'its --check failed'}${fix}` };
  }
  try {
    const tools = await listTools(entry, env);
    return { ok: true, text: `--check passed, ${tools} tools over stdio` };
  } catch (error) {
    return {
      ok: false,
      text: `--check passed but tools/list failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Checks every server configured in the clients; prints one line each. Resolves with whether all are ok. */
export async function runDoctor(
  clients: ClientId[],
  place: Place,
  out: (line: string) => void,
): Promise<boolean> {
  const { found, broken } = groups(clients, place, out);
  const rows = found.flatMap((g) =>
    Object.entries(g.servers).map(([name, value]) => ({ group: g, name, value })),
  );
  if (rows.length === 0) {
    out(
      broken
        ? 'No server could be read.'
        : `No MCP server is configured in: ${clients.join(', ')}. Run mcp-setup to add the @org servers.`,
    );
    return false;
  }
  const results = await Promise.all(rows.map((row) => diagnose(row.group.file.client, row.name, row.value)));
  const width = Math.max(...rows.map((r) => r.group.label.length));
  let ok = !broken;
  rows.forEach((row, i) => {
    const result = results[i]!;
    const skipped = !serverOf(row.value);
    ok &&= result.ok;
    out(
      `${skipped ? 'skip' : result.ok ? 'ok  ' : 'FAIL'}  ${row.group.label.padEnd(width)}  ${row.name}: ${result.text}`,
    );
  });
  return ok;
}
