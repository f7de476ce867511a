import * as agile from './agile.js';
import * as attachments from './attachments.js';
import * as comments from './comments.js';
import * as issues from './issues.js';
import * as links from './links.js';
import * as projects from './projects.js';
import * as users from './users.js';
import * as watchers from './watchers.js';
import * as worklogs from './worklogs.js';

/** Every tool of the Jira server: the original's 23 first, then the ones beyond it. */
export const tools = [
  issues.getIssue,
  issues.searchIssues,
  issues.buildJql,
  projects.getProjectIssueTypes,
  projects.getCreatableIssueTypes,
  projects.getCreateMetadata,
  issues.createIssue,
  issues.createIssuesBulk,
  issues.updateIssue,
  issues.deleteIssue,
  issues.transitionIssue,
  issues.getTransitions,
  comments.addComment,
  comments.getComments,
  links.linkIssues,
  projects.getProjects,
  issues.assignIssue,
  watchers.getWatchers,
  watchers.addWatcher,
  agile.getBoards,
  agile.getActiveSprints,
  agile.addToSprint,
  agile.addIssueToActiveSprint,
  // Beyond the original.
  issues.getChangelog,
  comments.editComment,
  comments.deleteComment,
  users.getCurrentUser,
  users.searchUsers,
  projects.searchFields,
  projects.getProjectVersions,
  projects.getProjectComponents,
  links.getLinkTypes,
  links.addRemoteLink,
  links.getRemoteLinks,
  links.setParent,
  links.getEpicChildren,
  agile.moveToBacklog,
  worklogs.getWorklogs,
  worklogs.addWorklog,
  attachments.addAttachment,
  attachments.getAttachments,
  attachments.readAttachment,
];
