import { CLIENTS, clientFile, type ClientFile, type ClientId, type Place, type Scope } from './clients.js';
import { addArgs, removeArgs, runClaude } from './claude-cli.js';
import { backupFile, loadFile, SetupError, withEntries, writeFile, type LoadedFile } from './config-file.js';
import type { CatalogServer } from './catalog-types.js';
import {
  entryFor,
  launchOf,
  maskEnv,
  readEntry,
  SECRET_NAMES,
  serverOf,
  varsOf,
  type Entry,
  type Source,
} from './entries.js';
import type { Prompter } from './prompt.js';
import { blamedVariables, failures, runCheck } from './run-server.js';

/** One `--env` value: `K=V` for every chosen server that reads K, `server:K=V` for one. */
export interface EnvFlag {
  server?: string;
  key: string;
  value: string;
}

export function parseEnvFlag(text: string): EnvFlag {
  const match = /^(?:([a-z0-9-]+):)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  if (!match)
    throw new SetupError(
      `--env ${JSON.stringify(text.split('=')[0])}: expected NAME=value or server:NAME=value`,
    );
  return { ...(match[1] ? { server: match[1] } : {}), key: match[2]!, value: match[3]! };
}

export interface SetupOptions {
  clients: ClientId[];
  servers: CatalogServer[];
  source: Source;
  env: EnvFlag[];
  scope: Scope;
  place: Place;
  /** The claude CLI, when it is on PATH: Claude Code is then configured through it. */
  claude?: string;
  dryRun: boolean;
  yes: boolean;
  force: boolean;
  check: boolean;
  prompter?: Prompter;
  out: (line: string) => void;
}

interface Target {
  loaded: LoadedFile;
  /** Through `claude mcp add` rather than by editing the file. */
  cli?: string;
}

const firstSentence = (text: string) => /^(.+?[.!?])(\s|$)/.exec(text.trim())?.[1] ?? text.trim();

/** The env every chosen server gets: what a configured client already has, then --env, then answers. */
async function collectValues(
  options: SetupOptions,
  targets: Target[],
): Promise<Map<string, Record<string, string>>> {
  const values = new Map<string, Record<string, string>>();
  for (const server of options.servers) {
    // Re-running keeps the values of an entry mcp-setup wrote earlier (in any chosen client).
    const earlier = targets
      .map((t) => t.loaded.servers[server.id])
      .find((value) => value !== undefined && serverOf(value)?.id === server.id);
    values.set(server.id, { ...(readEntry(earlier)?.env ?? {}) });
  }
  const ids = new Set(options.servers.map((s) => s.id));
  for (const flag of options.env) {
    if (flag.server && !ids.has(flag.server))
      throw new SetupError(
        `--env ${flag.server}:${flag.key}: ${flag.server} is not among the chosen servers`,
      );
    const readers = options.servers.filter(
      (s) => (!flag.server || s.id === flag.server) && varsOf(s).some((v) => v.name === flag.key),
    );
    if (readers.length === 0)
      throw new SetupError(
        `--env ${flag.key}: ${flag.server ?? options.servers.map((s) => s.id).join(', ')} ${flag.server ? 'does' : 'do'} not read ${flag.key} (each server's --help lists its variables)`,
      );
    for (const server of readers) {
      const env = values.get(server.id)!;
      if (flag.value === '') delete env[flag.key];
      else env[flag.key] = flag.value;
    }
  }
  const missing: string[] = [];
  for (const server of options.servers) {
    const env = values.get(server.id)!;
    // The vendor servers take Redis only to share rate limits between HTTP instances: a desktop
    // setup does not ask for it (--env still sets it). Where Redis is a store choice, it asks.
    const storeChoice = server.env.some((v) => /_(STORE|BACKEND)$/.test(v.name));
    const needed = server.env.filter(
      (v) => v.required || (v.secret && (storeChoice || !v.name.startsWith('REDIS_'))),
    );
    if (options.prompter && needed.some((v) => (v.required ? !env[v.name] : !options.yes))) {
      options.out(`\n${server.id}: ${firstSentence(server.description)}`);
    }
    for (const v of needed) {
      if (v.required && !env[v.name]) {
        if (!options.prompter) {
          missing.push(`${server.id} needs ${v.name} (${v.description}): pass --env ${v.name}=…`);
          continue;
        }
        while (!env[v.name]) {
          const answer = await options.prompter.ask(
            `  ${v.name} (required${v.secret ? ', secret' : ''}): ${v.description}\n  > `,
            { secret: v.secret },
          );
          if (answer) env[v.name] = answer;
        }
      } else if (!v.required && options.prompter && !options.yes) {
        const hint = env[v.name]
          ? 'Enter keeps the current value, "-" removes it'
          : 'optional, Enter to skip';
        const answer = await options.prompter.ask(`  ${v.name} (${hint}): ${v.description}\n  > `, {
          secret: v.secret,
        });
        if (answer === '-') delete env[v.name];
        else if (answer) env[v.name] = answer;
      }
    }
  }
  if (missing.length > 0) throw new SetupError(`Nothing was written:\n  ${missing.join('\n  ')}`);
  return values;
}

/** Runs every chosen server's --check with its values; asks again for what a failure blames. */
async function checkAll(options: SetupOptions, values: Map<string, Record<string, string>>): Promise<void> {
  let pending = options.servers;
  for (let round = 0; pending.length > 0; round++) {
    const outcomes = await Promise.all(
      pending.map(async (server) => ({
        server,
        outcome: await runCheck(launchOf(server, options.source), values.get(server.id)!),
      })),
    );
    const failed = outcomes.filter((o) => !o.outcome.ok);
    for (const { server, outcome } of outcomes) {
      options.out(
        outcome.ok
          ? `ok    ${server.id}: --check passed`
          : `FAIL  ${server.id}: ${failures(outcome).join('; ')}`,
      );
    }
    if (failed.length === 0) return;
    const blamed = failed.map((f) => ({
      ...f,
      names: blamedVariables(failures(f.outcome)).filter((n) => varsOf(f.server).some((v) => v.name === n)),
    }));
    if (!options.prompter || round >= 2 || blamed.every((b) => b.names.length === 0)) {
      throw new SetupError(
        'Nothing was written: fix the values above (--env NAME=value), or pass --no-check to skip the check.',
      );
    }
    for (const { server, names } of blamed) {
      const env = values.get(server.id)!;
      for (const name of names) {
        const doc = varsOf(server).find((v) => v.name === name)!;
        const answer = await options.prompter.ask(`  ${server.id} ${name}: ${doc.description}\n  > `, {
          secret: doc.secret,
        });
        if (answer) env[name] = answer;
        else delete env[name];
      }
    }
    pending = blamed.map((b) => b.server);
  }
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

interface Change {
  name: string;
  entry: Entry;
  /** The entry it replaces, when there is one. */
  previous: unknown;
}

const masked = (entry: Entry): Entry => (entry.env ? { ...entry, env: maskEnv(entry.env) } : entry);

/** Writes the chosen servers into the chosen clients. Resolves when done; throws SetupError on a refusal. */
export async function runSetup(options: SetupOptions): Promise<void> {
  const targets: Target[] = options.clients.map((client) => {
    const scope = CLIENTS[client].scopes.includes(options.scope) ? options.scope : 'user';
    const file = clientFile(client, scope, options.place) as ClientFile;
    return {
      loaded: loadFile(file),
      ...(client === 'claude-code' && options.claude ? { cli: options.claude } : {}),
    };
  });
  const values = await collectValues(options, targets);
  if (options.check) await checkAll(options, values);
  else options.out('--no-check: the servers were not checked');

  const conflicts: string[] = [];
  const plans = targets.map((target) => {
    const changes: Change[] = [];
    for (const server of options.servers) {
      const previous = target.loaded.servers[server.id];
      if (previous !== undefined && serverOf(previous)?.id !== server.id && !options.force) {
        conflicts.push(
          `${target.loaded.file.path} already has a server "${server.id}" that mcp-setup did not write: it was left as it is (pass --force to replace it)`,
        );
        continue;
      }
      const entry = entryFor(server, options.source, values.get(server.id)!, target.loaded.file);
      if (previous === undefined || canonical(previous) !== canonical(entry))
        changes.push({ name: server.id, entry, previous });
    }
    return { target, changes };
  });
  if (conflicts.length > 0) throw new SetupError(`Nothing was written:\n  ${conflicts.join('\n  ')}`);

  for (const { target, changes } of plans) {
    const { file } = target.loaded;
    const title = `${CLIENTS[file.client].title}${file.scope === 'project' ? ' (project)' : ''}`;
    if (changes.length === 0) {
      options.out(
        `${title}: ${file.path} already has ${options.servers.map((s) => s.id).join(', ')} as chosen`,
      );
      continue;
    }
    const others = Object.keys(target.loaded.servers).filter((n) => !changes.some((c) => c.name === n));
    if (target.cli) {
      options.out(`${title}: through ${target.cli}${options.dryRun ? ' (dry run, nothing run)' : ''}:`);
      for (const change of changes) {
        if (change.previous !== undefined)
          options.out(`  claude ${removeArgs(change.name, file.scope).join(' ')}`);
        options.out(`  claude ${addArgs(change.name, change.entry, file.scope, maskEnv).join(' ')}`);
      }
    } else {
      options.out(
        `${title}: ${file.path}${options.dryRun ? ' would become (dry run, nothing written)' : ''}:`,
      );
      const shown = Object.fromEntries(changes.map((c) => [c.name, masked(c.entry)]));
      options.out(JSON.stringify({ [file.at.join('.')]: shown }, null, 2).replace(/^/gm, '  '));
    }
    if (others.length > 0) options.out(`  other servers kept as they are: ${others.join(', ')}`);
    if (
      file.scope === 'project' &&
      changes.some((c) => Object.keys(c.entry.env ?? {}).some((k) => SECRET_NAMES.has(k)))
    )
      options.out(`  note: ${file.path} holds secrets now; keep it out of version control`);
  }
  const pending = plans.filter((p) => p.changes.length > 0);
  if (options.dryRun || pending.length === 0) {
    if (pending.length === 0) options.out('Nothing to change.');
    return;
  }
  if (!options.yes) {
    if (!options.prompter)
      throw new SetupError(
        'Nothing was written: pass --yes to write without asking (or --dry-run to see the result).',
      );
    const answer = await options.prompter.ask('Write these changes? [Y/n] ');
    if (/^n/i.test(answer)) throw new SetupError('Nothing was written.');
  }
  for (const { target, changes } of pending) {
    const { file } = target.loaded;
    const title = CLIENTS[file.client].title;
    if (target.cli) {
      const backup = backupFile(file.path);
      for (const change of changes) {
        if (change.previous !== undefined)
          await runClaude(target.cli, removeArgs(change.name, file.scope), options.place.project);
        await runClaude(target.cli, addArgs(change.name, change.entry, file.scope), options.place.project);
      }
      options.out(
        `${title}: added ${changes.map((c) => c.name).join(', ')} with claude mcp add${backup ? ` (backup: ${backup})` : ''}; ${CLIENTS[file.client].after}`,
      );
    } else {
      const text = withEntries(target.loaded, Object.fromEntries(changes.map((c) => [c.name, c.entry])));
      const backup = writeFile(file.path, text);
      options.out(
        `${title}: wrote ${file.path}${backup ? ` (backup: ${backup})` : ''}; ${CLIENTS[file.client].after}`,
      );
    }
  }
}
