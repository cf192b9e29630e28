const { app, FetchState } = await import('./dist/server/entry.mjs');
globalThis.__stop = Number(process.argv[2]);
const manifest = app.manifest;
for (let i = 0; i < 100000; i++) {
  const request = new Request('http://127.0.0.1:4577/api/x', { method: 'GET', headers: { host: '127.0.0.1:4577' } });
  new FetchState(manifest, request);
}
