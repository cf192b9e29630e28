import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
const { app } = await import('./dist/server/entry.mjs');
const session = new Session(); session.connect();
async function run(n) { for (let i = 0; i < n; i++) { const request = new Request('http://127.0.0.1:4577/api/x', { method: 'GET', headers: { host: '127.0.0.1:4577' } }); const response = await app.render(request, { addCookieHeader: true }); await response.text(); } }
await run(10000);
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
await run(30000);
const { profile } = await session.post('HeapProfiler.stopSampling');
fs.writeFileSync('/tmp/loop3.heapprofile', JSON.stringify(profile));
