// An OAuth 2.0 authorization server for the broker's tests, on @node-oauth/oauth2-server with
// an in-memory model: one client ("broker", secret from OAUTH_CLIENT_SECRET) with the
// client_credentials and refresh_token grants, client authentication by HTTP Basic or in the
// form, scopes odata.read and odata.write, tokens living OAUTH_TOKEN_LIFETIME seconds.
//   POST /token                 the token endpoint (RFC 6749)
//   GET  /introspect            200 when the request's bearer token is valid, else 401 (nginx
//                               auth_request asks this before letting a call through)
//   POST /__peer/refresh-token  mints a refresh token for the client (the test's setup)
//   POST /__peer/revoke         forgets every access token (the next call gets a 401)
//   GET  /__peer/stats          token requests by grant and client authentication, 401s given
// Listens on HOST:PORT (0: a free port) and writes its address to OAUTH_READY_FILE.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const OAuth2Server = require('@node-oauth/oauth2-server');

const {Request, Response} = OAuth2Server;
const client = {
  id: 'broker',
  secret: process.env.OAUTH_CLIENT_SECRET || 'broker-secret',
  grants: ['client_credentials', 'refresh_token'],
};
const scopes = ['odata.read', 'odata.write'];
const accessTokens = new Map();
const refreshTokens = new Map();
const stats = {tokens: 0, grants: {}, clientAuthentication: {}, scopes: [], rejected: 0};

const model = {
  async getClient(id, secret) {
    if (id !== client.id || (secret !== null && secret !== undefined && secret !== client.secret)) {
      return null;
    }
    return client;
  },
  async getUserFromClient() {
    return {id: 'service'};
  },
  async validateScope(user, c, scope) {
    if (!scope || scope.length === 0) return ['odata.read'];
    return scope.every((s) => scopes.includes(s)) ? scope : false;
  },
  async saveToken(token, c, user) {
    const saved = {...token, client: c, user};
    accessTokens.set(token.accessToken, saved);
    if (token.refreshToken) refreshTokens.set(token.refreshToken, saved);
    return saved;
  },
  async getAccessToken(accessToken) {
    return accessTokens.get(accessToken) || null;
  },
  async getRefreshToken(refreshToken) {
    return refreshTokens.get(refreshToken) || null;
  },
  async revokeToken(token) {
    return refreshTokens.delete(token.refreshToken);
  },
};

const lifetime = Number(process.env.OAUTH_TOKEN_LIFETIME || 3600);
const oauth = new OAuth2Server({
  model,
  accessTokenLifetime: lifetime,
  refreshTokenLifetime: 24 * 3600,
  alwaysIssueNewRefreshToken: true,
  allowEmptyState: true,
});

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers});
  res.end(JSON.stringify(body));
}

async function token(req, res, text) {
  const url = new URL(req.url, 'http://localhost');
  const body = Object.fromEntries(new URLSearchParams(text));
  stats.tokens += 1;
  stats.grants[body.grant_type] = (stats.grants[body.grant_type] || 0) + 1;
  const how = body.client_secret ? 'post' : (req.headers.authorization ? 'basic' : 'none');
  stats.clientAuthentication[how] = (stats.clientAuthentication[how] || 0) + 1;
  if (body.scope) stats.scopes.push(body.scope);
  const request = new Request({
    method: req.method, headers: req.headers, query: Object.fromEntries(url.searchParams), body,
  });
  const response = new Response({headers: {}});
  try {
    const t = await oauth.token(request, response);
    send(res, 200, {
      access_token: t.accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: Array.isArray(t.scope) ? t.scope.join(' ') : t.scope,
      ...(t.refreshToken ? {refresh_token: t.refreshToken} : {}),
    }, {'Cache-Control': 'no-store'});
  } catch (error) {
    send(res, error.code || 400, {error: error.name, error_description: error.message});
  }
}

async function introspect(req, res) {
  const request = new Request({method: 'GET', headers: req.headers, query: {}, body: {}});
  try {
    await oauth.authenticate(request, new Response({headers: {}}));
    send(res, 200, {active: true});
  } catch (error) {
    stats.rejected += 1;
    send(res, 401, {active: false, error: error.message});
  }
}

const server = http.createServer(async (req, res) => {
  const text = await readBody(req);
  const path = req.url.split('?')[0];
  if (req.method === 'POST' && path === '/token') return token(req, res, text);
  if (path === '/introspect') return introspect(req, res);
  if (req.method === 'POST' && path === '/__peer/refresh-token') {
    const refreshToken = crypto.randomBytes(24).toString('hex');
    refreshTokens.set(refreshToken, {
      refreshToken,
      refreshTokenExpiresAt: new Date(Date.now() + 3600 * 1000),
      scope: ['odata.read'],
      client,
      user: {id: 'service'},
    });
    return send(res, 200, {refresh_token: refreshToken});
  }
  if (req.method === 'POST' && path === '/__peer/revoke') {
    accessTokens.clear();
    return send(res, 200, {});
  }
  if (path === '/__peer/stats') return send(res, 200, stats);
  return send(res, 404, {error: 'not_found'});
});

server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1', () => {
  const {address, port} = server.address();
  fs.writeFileSync(process.env.OAUTH_READY_FILE, `http://${address}:${port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
