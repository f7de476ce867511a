// Randomized hostile calls (fixed seed, bounded count) to every Frappe tool against the local fake:
// the server keeps answering, every answer is a result or a well-formed envelope, and a rejected
// call leaves no accepted write behind.
import { acceptedWrites, runHostileCalls } from '@org/mcp-core/testing';
import { startFakeFrappe } from '../test/fake-frappe/index.js';
import { connectFrappe } from '../test/session.js';

it('hostile calls never wedge, crash or half-write the server', { timeout: 180_000 }, async () => {
  const fake = await startFakeFrappe();
  const s = await connectFrappe(fake, {
    MCP_TOOLSETS: 'all',
    FRAPPE_METHODS_ALLOW: 'frappe.auth.get_logged_user',
  });
  const report = await runHostileCalls(s.client, {
    seed: 18,
    callsPerTool: 30,
    known: {
      doctype: ['ToDo', 'Item', 'Customer', 'Sales Invoice'],
      reference_doctype: ['ToDo'],
      name: ['TODO-1', 'WIDGET'],
      method: ['frappe.auth.get_logged_user'],
    },
    snapshot: () => acceptedWrites(fake.apiRequests()),
  });
  await s.close();
  await fake.close();
  expect(report.problems).toEqual([]);
  expect(report.calls).toBeGreaterThan(300);
  expect(report.types['validation']).toBeGreaterThan(100);
  expect(report.accepted).toBeGreaterThan(10);
});
