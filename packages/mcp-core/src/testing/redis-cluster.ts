import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './net.js';

/** A private Redis Cluster of masters on free ports of 127.0.0.1, for tests. */
export interface RedisClusterInstance {
  nodes: { host: string; port: number }[];
  close(): Promise<void>;
}

/** Starts `masters` cluster-enabled redis-servers (no replicas) and joins them with redis-cli. */
export async function startRedisCluster(
  masters = 3,
  binary = process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
): Promise<RedisClusterInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const close = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) =>
            c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM')),
          ),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await getFreePort();
      ports.push(port);
      children.push(
        spawn(
          binary,
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${port}.conf`),
            '--dir',
            dir,
            '--save',
            '',
            '--appendonly',
            'no',
            '--logfile',
            join(dir, `${port}.log`),
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    const cli = (args: string[]) => spawnSync('redis-cli', args, { encoding: 'utf8' });
    for (const port of ports) {
      for (let i = 0; i < 200 && cli(['-p', String(port), 'PING']).stdout.trim() !== 'PONG'; i++)
        await new Promise((r) => setTimeout(r, 25));
    }
    const created = cli([
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    for (let i = 0; i < 400; i++) {
      const states = ports.map((p) => cli(['-p', String(p), 'CLUSTER', 'INFO']).stdout);
      if (states.every((s) => s.includes('cluster_state:ok')))
        return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), close };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the cluster did not reach cluster_state:ok within 20 s');
  } catch (error) {
    await close();
    throw error;
  }
}
