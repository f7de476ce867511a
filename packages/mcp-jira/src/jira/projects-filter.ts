import { ToolError } from '@org/mcp-core';
import { jqlString, projectOfKey, splitJql } from './keys.js';

/**
 * JIRA_PROJECTS_FILTER: the projects every tool is limited to. Checks run before any request, so
 * a refused call sends nothing; searches are confined by JQL; results outside are dropped.
 */
export class ProjectsFilter {
  readonly keys: readonly string[] | undefined;

  constructor(keys: readonly string[] | undefined) {
    this.keys = keys && keys.length > 0 ? keys : undefined;
  }

  /** True when a filter is configured. */
  get active(): boolean {
    return this.keys !== undefined;
  }

  /** True when `projectKey` may be touched. */
  allows(projectKey: string | undefined): boolean {
    return !this.keys || (projectKey !== undefined && this.keys.includes(projectKey.toUpperCase()));
  }

  private refuse(what: string): ToolError {
    return new ToolError('forbidden', `${what} is outside JIRA_PROJECTS_FILTER (${this.keys!.join(', ')})`, {
      hint: 'This server is limited to those projects; ask the operator to change JIRA_PROJECTS_FILTER.',
    });
  }

  /** Throws `forbidden` unless the project is allowed. */
  assertProject(projectKey: string): void {
    if (!this.allows(projectKey)) throw this.refuse(`Project ${projectKey}`);
  }

  /** Throws unless the issue's key names an allowed project; with a filter, numeric ids are refused. */
  assertIssue(keyOrId: string): void {
    if (!this.keys) return;
    const project = projectOfKey(keyOrId);
    if (!project) {
      throw ToolError.validation(
        `Issue id ${keyOrId} cannot be checked against JIRA_PROJECTS_FILTER`,
        'Pass the issue key (e.g. ENG-42) instead of its numeric id.',
      );
    }
    if (!this.allows(project)) throw this.refuse(`Issue ${keyOrId}`);
  }

  /** The JQL limited to the allowed projects (unchanged without a filter). */
  confine(jql: string): string {
    if (!this.keys) return jql;
    const { where, orderBy } = splitJql(jql);
    const scope = `project in (${this.keys.map(jqlString).join(', ')})`;
    return [where ? `${scope} AND (${where})` : scope, orderBy].filter(Boolean).join(' ');
  }

  /** Keeps the issues whose key or project is allowed. */
  keep<T extends { key?: string | undefined; fields?: { project?: { key?: string } } | undefined }>(
    issues: readonly T[],
  ): T[] {
    if (!this.keys) return [...issues];
    return issues.filter((i) => this.allows(i.fields?.project?.key ?? projectOfKey(i.key ?? '')));
  }
}
