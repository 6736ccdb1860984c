// The broker's OpenAPI documents as a workflow tool would use them: both validated by
// @apidevtools/swagger-parser (OpenAPI 3.1), then the demo service driven through
// openapi-client-axios from the instance's document alone: List with a filter, Load, Create,
// Delete. Runs a broker process (with an admin API key) and the demo CAP service on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import {OpenAPIClientAxios} from 'openapi-client-axios';
import {check, run, start as startProcess} from '../node/processes.mjs';

const sourceDir = process.env.SOURCE_DIR;
const brokerBinary = process.env.BROKER_BINARY;
const adminKey = 'openapi-test-admin-key-0123456789';
for (const [name, value] of Object.entries({SOURCE_DIR: sourceDir, BROKER_BINARY: brokerBinary})) {
  if (!value) throw new Error(`${name} is not set`);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-test-'));
const children = [];

const start = (...args) => startProcess(work, children, ...args);

async function main() {
  const demo = await start('demo', 'node', [path.join(sourceDir, 'samples/demo-service/node_modules/@sap/cds/bin/serve.js')],
    {PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', DEMO_READY_FILE: path.join(work, 'demo.ready')},
    path.join(work, 'demo.ready'), path.join(sourceDir, 'samples/demo-service'));
  const broker = await start('broker', brokerBinary,
    ['serve', '--port', '0', '--data-dir', path.join(work, 'data'), '--ready-file', path.join(work, 'broker.ready')],
    {ODATA_BROKER_ADMIN_KEY: adminKey}, path.join(work, 'broker.ready'));
  const headers = {Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json'};
  const registered = await fetch(`${broker}/api/v1/instances`, {
    method: 'POST', headers,
    body: JSON.stringify({name: 'demo', serviceKeys: {serviceUrl: `${demo}/odata/v4/demo/`}}),
  });
  check(registered.status === 201, `registered (${registered.status})`);

  // 1. Both documents are valid OpenAPI 3.1.
  const restDoc = await (await fetch(`${broker}/api/v1/openapi.json`)).json();
  await SwaggerParser.validate(structuredClone(restDoc));
  const instanceDoc = await (await fetch(`${broker}/api/v1/instances/demo/openapi.json`, {headers})).json();
  await SwaggerParser.validate(structuredClone(instanceDoc));
  check(instanceDoc.openapi === '3.1.0', 'OpenAPI 3.1');

  // 2. A generic client built from the instance's document alone.
  const api = new OpenAPIClientAxios({
    definition: instanceDoc,
    withServer: {url: `${broker}/api/v1/instances/demo`},
    axiosConfigDefaults: {headers: {Authorization: `Bearer ${adminKey}`}},
  });
  const client = await api.init();
  const list = await client['Products.List'](null, {
    filter: {and: [{greaterThan: [{property: 'Rating'}, 3]}, {startsWith: [{property: 'Name'}, 'C']}]},
    returns: ['ID', 'Name', 'Rating'], top: 50, includeTotalCount: true,
  });
  check(list.status === 200 && list.data.rows.length > 0, 'List with a filter returns rows');
  check(list.data.rows.every((row) => row.Rating > 3 && row.Name.startsWith('C')), 'the rows match the filter');
  const load = await client['Products.Load'](null, {inputs: {ID: list.data.rows[0].ID}});
  check(load.data.row.ID === list.data.rows[0].ID, 'Load returns the row');
  const created = await client['Categories.Create'](null, {inputs: {ID: 4242, Name: 'From OpenAPI'}});
  check(created.data.row.Name === 'From OpenAPI', 'Create returns the row');
  const removed = await client['Categories.Delete'](null, {inputs: {ID: 4242}});
  check(removed.status === 200, 'Delete');
  const gone = await client['Categories.Load'](null, {inputs: {ID: 4242}}).catch((error) => error.response);
  check(gone.status === 404 && gone.data.error.code === 'NotFound', 'the deleted row is gone');
  console.log(`openapi test passed: ${Object.keys(instanceDoc.paths).length} operations`);
}

await run(work, children, main);
