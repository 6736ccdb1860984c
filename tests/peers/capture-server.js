// A capturing HTTP server for request shapes no npm server implements (V2/V3 `$links`
// writes): GET …/$metadata answers with the file CAPTURE_METADATA; every other request is
// recorded and answered 204, with the client's port (X-Client-Port: tells connections apart) and
// the body's length (X-Body-Bytes). GET /__peer/requests returns the requests recorded (method, url,
// headers, body); DELETE returns them and forgets them. Listens on HOST:PORT (0: a free port)
// and writes its address to CAPTURE_READY_FILE; CAPTURE_KEEP_ALIVE_MS sets how long an idle
// kept-alive connection stays open (Node's default: 5 s). Recorded answers of real services:
// PUT /__peer/answers with {method, path, status, contentType, body, whenHeader, contains}
// makes requests of that method and path (query aside) get that answer instead of 204 (still
// recorded); with whenHeader, only those whose header of that name contains `contains` (answers
// with a condition are tried first). Node's standard library only.
'use strict';

const fs = require('fs');
const http = require('http');

const metadata = fs.readFileSync(process.env.CAPTURE_METADATA);
const log = [];
const answers = new Map(); // "METHOD path" → [{status, contentType, body, whenHeader, contains}]

const server = http.createServer((req, res) => {
  if (req.url === '/__peer/requests') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(req.method === 'DELETE' ? log.splice(0) : log));
    return;
  }
  if (req.url === '/__peer/answers' && req.method === 'PUT') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const key = `${answer.method} ${answer.path}`;
      const list = (answers.get(key) || []).filter((a) => a.whenHeader !== answer.whenHeader ||
                                                        a.contains !== answer.contains);
      list.push(answer);
      list.sort((a, b) => Number(Boolean(b.whenHeader)) - Number(Boolean(a.whenHeader)));
      answers.set(key, list);
      res.statusCode = 204;
      res.end();
    });
    return;
  }
  if (req.method === 'GET' && req.url.split('?')[0].endsWith('/$metadata')) {
    res.setHeader('Content-Type', 'application/xml');
    res.end(metadata);
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const bytes = Buffer.concat(chunks);
    log.push({method: req.method, url: req.url, headers: req.headers, body: bytes.toString('utf8')});
    res.setHeader('X-Client-Port', String(req.socket.remotePort));
    res.setHeader('X-Body-Bytes', String(bytes.length));
    const answer = (answers.get(`${req.method} ${decodeURIComponent(req.url.split('?')[0])}`) || [])
        .find((a) => !a.whenHeader ||
                     (req.headers[a.whenHeader.toLowerCase()] || '').includes(a.contains));
    if (answer) {
      res.statusCode = answer.status;
      if (answer.contentType) res.setHeader('Content-Type', answer.contentType);
      res.end(answer.body || '');
      return;
    }
    res.statusCode = 204;
    res.end();
  });
});

if (process.env.CAPTURE_KEEP_ALIVE_MS) {
  server.keepAliveTimeout = Number(process.env.CAPTURE_KEEP_ALIVE_MS);
}

server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1', () => {
  const {address, port} = server.address();
  fs.writeFileSync(process.env.CAPTURE_READY_FILE, `http://${address}:${port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
