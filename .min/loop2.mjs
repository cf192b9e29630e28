import v8 from 'node:v8';
const { app } = await import('./dist/server/entry.mjs');
for (let i = 0; i < 30000; i++) {
  const request = new Request('http://127.0.0.1:4577/api/x', { method: 'GET', headers: { host: '127.0.0.1:4577' } });
  const response = await app.render(request, { addCookieHeader: true });
  await response.text();
}
v8.writeHeapSnapshot('/tmp/loop.heapsnapshot');
console.log('snap');
