import * as documents from './documents.js';
import * as methods from './methods.js';
import * as reports from './reports.js';
import * as schema from './schema.js';
import * as workflowActions from './workflow-actions.js';
import * as workflow from './workflow.js';

/** Every tool of the Frappe server: the original's 5 first, then the ones beyond it. */
export const tools = [
  documents.getDocument,
  documents.getList,
  documents.createDocument,
  documents.updateDocument,
  documents.deleteDocument,
  // Beyond the original.
  documents.getCount,
  schema.getDoctypeMeta,
  schema.searchLink,
  workflow.submitDocument,
  workflow.cancelDocument,
  reports.runQueryReport,
  methods.callMethod,
  workflowActions.getWorkflowTransitions,
  workflowActions.applyWorkflowAction,
];
