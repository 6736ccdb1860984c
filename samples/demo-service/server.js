// Starts the demo service: OData V4 at /odata/v4/demo, V2 at /odata/v2/demo (one process).
//   HOST (default 127.0.0.1), PORT (0 = a free port), DEMO_PRODUCT_COUNT (add generated
//   products up to this many), DEMO_READY_FILE (written with the URL once listening),
//   DEMO_MIDDLEWARE (a module exporting (app) => void, mounted before the services).
const cds = require('@sap/cds')
const express = require('express')
const fs = require('fs')
const path = require('path')
const v2adapter = require('@cap-js-community/odata-v2-adapter')

const host = process.env.HOST || '127.0.0.1'

cds.on('bootstrap', (app) => {
  app.listen = (port, ...rest) => express.application.listen.call(app, port, host, ...rest)
  if (process.env.DEMO_MIDDLEWARE) require(path.resolve(process.env.DEMO_MIDDLEWARE))(app)
  app.use(v2adapter())
})

cds.on('served', async () => {
  const wanted = Number(process.env.DEMO_PRODUCT_COUNT || 0)
  const { Products } = cds.entities('demo')
  const { count } = await SELECT.one`count(*) as count`.from(Products)
  const rows = []
  for (let id = count + 1; id <= wanted; id++) {
    rows.push({ ID: id, Name: `Generated product ${id}`, Price: (id % 1000) / 10, Rating: 1 + (id % 5),
      Stock: id, IsAvailable: id % 2 === 0, ReleaseDate: '2024-01-01', Category_ID: 1 + (id % 8) })
    if (rows.length === 5000 || id === wanted) await INSERT.into(Products).entries(rows.splice(0))
  }
})

cds.on('listening', ({ url }) => {
  const address = url.replace('localhost', host)
  if (process.env.DEMO_READY_FILE) fs.writeFileSync(process.env.DEMO_READY_FILE, address + '\n')
  console.log(`demo service listening on ${address}`)
})

module.exports = cds.server
