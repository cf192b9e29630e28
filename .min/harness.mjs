import http from 'node:http';
const mode = process.argv[2];
const { app, handler } = await import('./dist/server/entry.mjs');
http.createServer(async (req, res) => {
  if (mode === 'adapter') return handler(req, res);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers });
  const response = await app.render(request, { addCookieHeader: true });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (mode === 'render-text') { res.end(await response.text()); return; }
  if (!response.body) return res.end();
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}).listen(4577, '127.0.0.1', () => console.log('listening'));
