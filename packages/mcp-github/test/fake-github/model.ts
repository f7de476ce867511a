// The fake's in-memory GitHub data: repositories as git objects (blobs, trees, commits, refs),
// issues, pull requests and releases.
import { createHash } from 'node:crypto';

export interface Entry {
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}
export interface Commit {
  tree: string;
  parents: string[];
  message: string;
  date: string;
}
export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  comments: { id: number; body: string }[];
  pull?: { head: string; base: string; draft: boolean; merged: boolean; merge_sha?: string };
  created_at: string;
}
export interface Release {
  id: number;
  tag_name: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  target_commitish: string;
  created_at: string;
}
export interface FakeRepo {
  owner: string;
  name: string;
  private: boolean;
  default_branch: string;
  blobs: Map<string, Buffer>;
  trees: Map<string, Map<string, Entry>>;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  issues: Issue[];
  releases: Release[];
}

export const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');
export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
