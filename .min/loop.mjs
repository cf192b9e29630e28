const { app } = await import('./dist/server/entry.mjs');
const conc = Number(process.argv[2] ?? 1), N = Number(process.argv[3] ?? 100000);
let done = 0;
async function worker() {
  while (done < N) {
    done++;
    const request = new Request('http://127.0.0.1:4577/api/x', { method: 'GET', headers: { host: '127.0.0.1:4577', accept: '*/*' } });
    const response = await app.render(request, { addCookieHeader: true });
    await response.text();
  }
}
const t0 = performance.now();
await Promise.all(Array.from({ length: conc }, worker));
console.log('done', N, 'conc', conc, (performance.now() - t0).toFixed(0), 'ms');
