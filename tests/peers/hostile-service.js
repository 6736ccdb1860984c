// A misbehaving OData V4 service for the broker's tests (Node's standard library only). Under
// /svc/ it is an ordinary service (one entity set, Items); the other roots misbehave:
//   /same/      redirects every request to /svc/ on the same origin
//   /cross/     redirects every request to /svc/ on another origin (127.0.0.2), whose listener
//               records what reaches it
//   /huge/      answers Items with a page of 1 GiB, streamed
//   /bomb/      answers Items with a gzip body of ~1 MB that inflates to 1 GiB
//   /metabomb/  answers $metadata with that gzip bomb
//   /hang/      answers $metadata, never answers anything else
//   /loop/      answers Items with a page whose next link is the same page, forever
// GET /__peer/requests returns every request recorded (listener, method, url, authorization,
// cookie); GET /__peer/elsewhere the other origin. Listens on 127.0.0.1, a free port; writes its
// address to HOSTILE_READY_FILE.
'use strict';

const fs = require('fs');
const http = require('http');
const zlib = require('zlib');

const metadata = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Hostile" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Item">
        <Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String"/>
      </EntityType>
      <EntityContainer Name="Container"><EntitySet Name="Items" EntityType="Hostile.Item"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>`;
const page = JSON.stringify({value: [{ID: 1, Name: 'one'}, {ID: 2, Name: 'two'}]});
const GiB = 1 << 30;
const log = [];
let elsewhere = '';
let bomb = null;

// 1 GiB of JSON whitespace inside an array, gzip-compressed once, at start.
function gzipBomb() {
  if (bomb) return bomb;
  const gzip = zlib.createGzip({level: 9});
  const parts = [];
  gzip.on('data', (chunk) => parts.push(chunk));
  const block = Buffer.alloc(1 << 20, ' ');
  gzip.write('{"value":[');
  for (let i = 0; i < 1024; ++i) gzip.write(block);
  gzip.write(']}');
  gzip.end();
  bomb = new Promise((resolve) => gzip.on('end', () => resolve(Buffer.concat(parts))));
  return bomb;
}

function record(listener, req) {
  log.push({listener, method: req.method, url: req.url,
            authorization: req.headers.authorization || '', cookie: req.headers.cookie || ''});
}

function streamHugePage(res) {
  res.writeHead(200, {'Content-Type': 'application/json'});
  const row = Buffer.from(`{"ID":7,"Name":"${'x'.repeat(1000)}"},`);
  let sent = 0;
  res.write('{"value":[');
  const pump = () => {
    while (sent < GiB) {
      sent += row.length;
      if (!res.write(row)) return res.once('drain', pump);
    }
    res.end('{"ID":8}]}');
  };
  res.on('close', () => { sent = GiB + 1; });
  pump();
}

const main = http.createServer((req, res) => {
  if (req.url === '/__peer/requests') {
    res.setHeader('Content-Type', 'application/json');
    return res.end(JSON.stringify(req.method === 'DELETE' ? log.splice(0) : log));
  }
  if (req.url === '/__peer/elsewhere') return res.end(elsewhere);
  record('main', req);
  const [, root, rest] = req.url.match(/^\/([^/]*)\/(.*)$/) || [];
  const isMetadata = (rest || '').startsWith('$metadata');
  req.resume();
  switch (root) {
    case 'svc':
      if (isMetadata) return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
      if (rest.startsWith('Items')) {
        return res.writeHead(200, {'Content-Type': 'application/json'}).end(page);
      }
      return res.writeHead(404).end();
    case 'same':
      return res.writeHead(302, {Location: `/svc/${rest}`}).end();
    case 'cross':
      return res.writeHead(302, {Location: `${elsewhere}/svc/${rest}`}).end();
    case 'huge':
      if (isMetadata) return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
      return streamHugePage(res);
    case 'bomb':
      if (isMetadata) return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
    // falls through: the bomb
    case 'metabomb':
      return gzipBomb().then((body) => res.writeHead(200, {
        'Content-Type': isMetadata ? 'application/xml' : 'application/json',
        'Content-Encoding': 'gzip', 'Content-Length': body.length}).end(body));
    case 'loop':
      if (isMetadata) return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
      return res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({
        value: [{ID: 1, Name: 'x'.repeat(500)}], '@odata.nextLink': `${req.url.split('?')[0]}?n=1`}));
    case 'hang':
      if (isMetadata) return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
      return undefined;  // never answered
    default:
      return res.writeHead(404).end();
  }
});

const other = http.createServer((req, res) => {
  record('elsewhere', req);
  req.resume();
  if (req.url.includes('$metadata')) {
    return res.writeHead(200, {'Content-Type': 'application/xml'}).end(metadata);
  }
  res.writeHead(200, {'Content-Type': 'application/json'}).end(page);
});

// The bomb is made before the service says it is ready, so that what a test times is the
// broker reading it, not this process compressing a gibibyte.
gzipBomb().then(() => other.listen(0, '127.0.0.2', () => {
  elsewhere = `http://127.0.0.2:${other.address().port}`;
  main.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(process.env.HOSTILE_READY_FILE, `http://127.0.0.1:${main.address().port}\n`);
  });
}));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
