// The conversion worker: runs convertBody (or the text path) off the server's main thread, one
// job at a time, so a large page never holds up other calls. Started by convert-pool.ts; the
// bundle ships it as its own entry (dist/bundle/convert-worker.js).
import { parentPort } from 'node:worker_threads';
import { convertBody, convertBodyAsText } from './convert.js';
import type { ConvertJob, WorkerAnswer } from './convert-pool.js';

const port = parentPort;
if (!port) throw new Error('convert-worker.js runs only as a worker thread');

port.on('message', async ({ id, job }: { id: number; job: ConvertJob }) => {
  let answer: WorkerAnswer;
  try {
    const result =
      job.mode === 'text'
        ? convertBodyAsText(job.kind, job.bytes, job.contentType, job.warning ?? '')
        : await convertBody(job.kind, job.bytes, job.contentType, job.pageUrl, job.raw);
    answer = { id, ok: true, result };
  } catch (error) {
    answer = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
