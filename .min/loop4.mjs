const { app, FetchState, handleRequest } = await import('./dist/server/entry.mjs');
const mode = process.argv[2], N = 100000;
const manifest = app.manifest ?? app.pipeline?.manifest;
for (let i = 0; i < N; i++) {
  const request = new Request('http://127.0.0.1:4577/api/x', { method: 'GET', headers: { host: '127.0.0.1:4577' } });
  if (mode === 'request') continue;
  if (mode === 'state') { const s = new FetchState(manifest, request); s.pathname; continue; }
  if (mode === 'handle') { const r = await handleRequest(new FetchState(manifest, request)); await r.text(); continue; }
  if (mode === 'immediate') { const r = await app.render(request); await r.text(); await new Promise((res) => setImmediate(res)); continue; }
  const r = await app.render(request); await r.text();
}
console.log('done', mode);
