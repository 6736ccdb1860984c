// Test-only middleware for the demo service (loaded through DEMO_MIDDLEWARE). What it does is
// chosen by PEER_FEATURES, a comma-separated list:
//   log     records every request from outside (method, URL, headers); GET /__peer/requests
//           returns them, DELETE /__peer/requests returns and forgets them
//   tunnel  rejects PUT/PATCH/MERGE/DELETE with 405 and turns POST + X-HTTP-Method into that
//           method, so only a broker that tunnels can write
//   csrf    writes need the X-CSRF-Token handed out by a GET with "X-CSRF-Token: Fetch" and
//           the session cookie that came with it; otherwise 403 with "X-CSRF-Token: Required"
//   client  like an SAP gateway's client: every request must carry the query option
//           sap-client=100 exactly once (else 400 naming what came); it is removed before
//           the service sees the request
//   slow    a request whose URL (decoded) holds the word "slowpoke" is passed on after 10 s:
//           a long call, for cancelling
// Requests the V2 adapter forwards to the V4 service internally pass: data requests carry
// x-cds-odata-version, its $metadata fetch the x-correlationid it adds.
const crypto = require('crypto')

const features = new Set((process.env.PEER_FEATURES || '').split(',').filter(Boolean))
const writes = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE'])
const log = []
const sessions = new Map() // session id → token

function odataError(res, status, message) {
  res.status(status).json({ error: { code: String(status), message } })
}

function sessionOf(req) {
  const match = /(?:^|;\s*)peer-session=([^;]+)/.exec(req.headers.cookie || '')
  return match ? match[1] : undefined
}

module.exports = (app) => {
  app.use('/__peer/requests', (req, res) => {
    const seen = log.slice()
    if (req.method === 'DELETE') log.length = 0
    res.json(seen)
  })
  app.use((req, res, next) => {
    if (req.headers['x-cds-odata-version']) return next()
    if (req.headers['x-correlationid'] && req.path.startsWith('/odata/v4/')) return next()
    if (features.has('slow')) {
      let url = req.originalUrl
      try {
        url = decodeURIComponent(url)
      } catch {}
      if (url.includes('slowpoke')) return setTimeout(next, 10000)
    }
    if (features.has('log')) {
      log.push({ method: req.method, url: req.originalUrl, headers: { ...req.headers } })
    }
    if (features.has('client')) {
      const [path, query = ''] = req.url.split(/\?(.*)/s)
      const options = query.split('&').filter(Boolean)
      const clients = options.filter((o) => o.split('=')[0] === 'sap-client')
      if (clients.length !== 1 || clients[0] !== 'sap-client=100') {
        return odataError(res, 400, `sap-client=100 must come once, not [${clients}] in ${req.originalUrl}`)
      }
      const rest = options.filter((o) => o !== clients[0])
      req.url = path + (rest.length ? '?' + rest.join('&') : '')
      if (req.query) delete req.query['sap-client']
    }
    if (features.has('csrf')) {
      if (req.method === 'GET' && /^fetch$/i.test(req.headers['x-csrf-token'] || '')) {
        const session = sessionOf(req) || crypto.randomUUID()
        const token = sessions.get(session) || crypto.randomBytes(16).toString('hex')
        sessions.set(session, token)
        res.setHeader('Set-Cookie', `peer-session=${session}; Path=/; HttpOnly`)
        res.setHeader('X-CSRF-Token', token)
      } else if (writes.has(req.method)) {
        const token = sessions.get(sessionOf(req))
        if (!token || req.headers['x-csrf-token'] !== token) {
          res.setHeader('X-CSRF-Token', 'Required')
          return odataError(res, 403, 'CSRF token validation failed')
        }
      }
    }
    if (features.has('tunnel')) {
      if (writes.has(req.method) && req.method !== 'POST') {
        return odataError(res, 405, `${req.method} is not allowed here: tunnel it through POST`)
      }
      const override = req.headers['x-http-method']
      if (req.method === 'POST' && override && req.originalUrl.startsWith('/odata/v4/')) {
        req.method = override.toUpperCase()
        delete req.headers['x-http-method']
      }
    }
    next()
  })
}
