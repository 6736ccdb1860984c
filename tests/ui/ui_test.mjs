// UI test of the config UI (ctest label "ui"): playwright-core drives Debian's chromium,
// headless, against a broker process (with an admin API key) and the demo CAP service. Each
// step saves a screenshot under $ARTIFACTS. Fails on a wrong result, an uncaught page error, or
// a console error other than the HTTP errors the steps provoke on purpose.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';
import {check, run, start as startProcess} from '../node/processes.mjs';

const sourceDir = process.env.SOURCE_DIR;
const brokerBinary = process.env.BROKER_BINARY;
const artifacts = process.env.ARTIFACTS;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const adminKey = 'ui-test-admin-key-0123456789';
for (const [name, value] of Object.entries({SOURCE_DIR: sourceDir, BROKER_BINARY: brokerBinary, ARTIFACTS: artifacts})) {
  if (!value) throw new Error(`${name} is not set`);
}
fs.rmSync(artifacts, {recursive: true, force: true});  // no screenshot of an earlier run stays
fs.mkdirSync(artifacts, {recursive: true});
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-test-'));
const children = [];
let browser = null;  // closed in any case, so that a failed step ends the test at once

const start = (...args) => startProcess(work, children, ...args);

async function api(broker, method, apiPath, body) {
  const response = await fetch(`${broker}/api/v1${apiPath}`, {
    method,
    headers: {Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {status: response.status, json: await response.json().catch(() => null)};
}

let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({path: path.join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true});
}

async function main() {
  const demo = await start('demo', 'node', [path.join(sourceDir, 'samples/demo-service/node_modules/@sap/cds/bin/serve.js')],
    {PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', DEMO_READY_FILE: path.join(work, 'demo.ready'),
     DEMO_MIDDLEWARE: path.join(sourceDir, 'tests/peers/middleware.js'), PEER_FEATURES: 'log,slow'},
    path.join(work, 'demo.ready'), path.join(sourceDir, 'samples/demo-service'));
  const broker = await start('broker', brokerBinary,
    ['serve', '--port', '0', '--data-dir', path.join(work, 'data'), '--ready-file', path.join(work, 'broker.ready'),
     '--ui-dir', path.join(sourceDir, 'broker/ui')],
    {ODATA_BROKER_ADMIN_KEY: adminKey}, path.join(work, 'broker.ready'));

  browser = await chromium.launch({executablePath: chromiumPath, headless: true, args: ['--no-sandbox']});
  const context = await browser.newContext({acceptDownloads: true, viewport: {width: 1366, height: 900}});
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: broker});
  const page = await context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => dialog.accept());
  page.setDefaultTimeout(20000);

  // An object's page, once it shows (a hash change renders it asynchronously: acting before
  // would act on the page before).
  const openObject = async (objectName) => {
    await page.goto(`${broker}/ui/#/instances/demo/objects/${objectName}`);
    await page.getByRole('heading', {level: 1, name: new RegExp(`^${objectName}\\b`)}).waitFor();
  };

  // 1. The UI asks for the API key, and keeps it for the session.
  const ui = await fetch(`${broker}/ui/`);
  check(ui.headers.get('content-type').startsWith('text/html'), 'the UI is served as HTML');
  check(ui.headers.get('cache-control') === 'no-cache' && ui.headers.get('etag'), 'the UI has caching headers');
  await page.goto(`${broker}/ui/`);
  await page.getByRole('dialog').waitFor();
  await page.locator('#key-problem', {hasText: 'needs an API key'}).waitFor();
  await shot(page, 'key-prompt');
  // A wrong key is told in the dialog, which stays open for another try.
  await page.getByRole('textbox', {name: 'Key'}).fill('not-the-key');
  await page.keyboard.press('Enter');
  await page.locator('#key-problem', {hasText: 'did not accept this key'}).waitFor();
  check(await page.getByRole('dialog').isVisible(), 'the dialog stays open after a wrong key');
  check(await page.evaluate(() => document.activeElement.id) === 'key-input', 'with the focus in the key field');
  await shot(page, 'key-refused');
  await page.getByRole('textbox', {name: 'Key'}).fill(adminKey);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', {name: 'Service instances'}).waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('odata-broker.apiKey')) === adminKey, 'the key is in session storage');
  await shot(page, 'instances-empty');

  // 2. Register through the form: labels in words with the key's name beside them, the basic
  //    keys first and the rest folded under "Advanced"; what is wrong with the service URL is
  //    said at that field in words; a bad value is shown at its field.
  await page.getByRole('link', {name: 'Register an instance'}).click();
  // The form is built once the service-key schema is in; then its first field has the focus.
  await page.waitForFunction(() => document.activeElement?.name === 'name', null, {timeout: 5000});
  const urlField = page.locator('[data-field="serviceKeys.serviceUrl"]');
  check((await urlField.locator('label').textContent()).includes('Service URL (required) serviceUrl'),
        'the service URL is labelled in words, with its key name');
  const advanced = page.locator('details.advanced');
  check(!(await advanced.evaluate((d) => d.open)), 'the advanced keys are folded away');
  await shot(page, 'register-form');
  await page.getByLabel('Name', {exact: true}).fill('demo');
  const urlProblem = async (serviceUrl, expected) => {
    await page.getByLabel('Service URL (required)').fill(serviceUrl);
    await page.getByRole('button', {name: 'Register'}).click();
    await urlField.locator('.field-error', {hasText: expected}).waitFor();
    await page.getByText('Not saved: the marked field says why.').waitFor();
    check(await page.evaluate(() => document.activeElement.name) === 'serviceUrl', 'the service URL field has the focus');
  };
  const freePort = 1;  // nothing listens on port 1
  await urlProblem(`http://127.0.0.1:${freePort}/odata/`, /could not be reached .*connection refused/);
  await shot(page, 'register-unreachable');
  await urlProblem(`${broker}/ui/`, /answered HTTP 404 .* not the root of an OData service/);
  await shot(page, 'register-not-odata');
  // A service root whose $metadata is a web page: said in words, the page itself not shown.
  await page.getByLabel('Service URL (required)').fill(`${demo}/odata/v4/demo/`);
  await page.getByLabel('Metadata from another URL or file').fill(`${broker}/ui/`);
  await page.getByRole('button', {name: 'Register'}).click();
  const pageProblem = page.locator('[data-field="serviceKeys.metadataUrlOrFilePath"] .field-error');
  await pageProblem.filter({hasText: 'answered, but not with OData metadata'}).waitFor();
  const pageText = await pageProblem.textContent();
  check(!pageText.includes('<') && !pageText.includes('malformed XML'), `no markup or parser words (${pageText})`);
  await shot(page, 'register-web-page');
  await page.getByLabel('Metadata from another URL or file').fill('');
  await advanced.locator('summary').click();
  await page.getByLabel('retryCount').fill('-1');
  await advanced.locator('summary').click();  // folded again: the error opens it
  await page.getByRole('button', {name: 'Register'}).click();
  const retryField = page.locator('[data-field="serviceKeys.retryCount"] .field-error');
  await retryField.filter({hasText: 'retryCount'}).waitFor();
  check(await advanced.evaluate((d) => d.open), 'an error in an advanced key opens them');
  await shot(page, 'field-validation-error');
  await page.getByLabel('retryCount').fill('2');
  await page.getByRole('switch', {name: 'addQueryOptionsProperty'}).check();
  await page.getByRole('button', {name: 'Register'}).click();
  await page.getByText(/demo is registered: \d+ objects/).waitFor();
  await shot(page, 'registered');

  // 3. Browse the objects.
  await page.getByRole('link', {name: 'Browse its objects'}).click();
  await page.getByRole('link', {name: 'Products', exact: true}).waitFor();
  for (const folder of ['Entities', 'Operations', 'ObjectTypes']) {
    check(await page.getByText(folder, {exact: true}).count() > 0, `folder ${folder} is shown`);
  }
  await shot(page, 'objects');
  await page.getByRole('link', {name: 'Products', exact: true}).click();
  await page.getByRole('heading', {name: 'Properties'}).waitFor();
  await shot(page, 'products');

  // 4. List with a filter built in the builder: Rating > 3 and Name starts with "C".
  const tester = page.locator('form.panel').first();
  await tester.getByRole('button', {name: 'Add condition'}).click();
  await tester.getByRole('button', {name: 'Add condition'}).click();
  const conditions = tester.locator('.condition');
  await conditions.nth(0).getByLabel('Property').selectOption('Rating');
  await conditions.nth(0).getByLabel('Operator').selectOption('greaterThan');
  await conditions.nth(0).getByLabel('Value').fill('3');
  await conditions.nth(1).getByLabel('Property').selectOption('Name');
  await conditions.nth(1).getByLabel('Operator').selectOption('startsWith');
  await conditions.nth(1).getByLabel('Value').fill('C');
  await tester.getByRole('button', {name: 'Show $filter'}).click();
  await tester.locator('code.translated', {hasText: "Rating gt 3 and startswith(Name,'C')"}).waitFor();
  await tester.getByLabel('Rows per page').fill('200');
  await tester.getByRole('button', {name: 'Execute'}).click();
  await tester.getByText(/List: \d+ rows/).waitFor();
  check(/List: \d+ rows/.test(await page.evaluate(() => document.activeElement.textContent)),
        'the focus moves to the result');
  await shot(page, 'list-filtered');
  const shownIds = await tester.locator('table.results tbody tr td:first-child').allTextContents();
  const expected = await api(broker, 'POST', '/instances/demo/objects/Products/methods/List', {
    returns: ['ID'], top: 200,
    filter: {and: [{greaterThan: [{property: 'Rating'}, 3]}, {startsWith: [{property: 'Name'}, 'C']}]},
  });
  const expectedIds = expected.json.rows.map((row) => String(row.ID));
  check(expectedIds.length > 0, 'the filter matches some products');
  check(JSON.stringify(shownIds) === JSON.stringify(expectedIds), `the UI shows the filtered rows (${shownIds} vs ${expectedIds})`);

  // 4a. Request inspection: the upstream request shown is the one the service received, and
  //     the call copied as curl gives the same rows.
  await fetch(`${demo}/__peer/requests`, {method: 'DELETE'});
  await tester.getByRole('button', {name: 'Execute'}).click();
  await tester.getByText(/List: \d+ rows/).waitFor();
  const logged = await (await fetch(`${demo}/__peer/requests`)).json();
  await tester.locator('details.inspection > summary').click();
  const shownUpstream = (await tester.locator('code.upstream-url').first().textContent()).replace(/^GET /, '');
  check(logged.length === 1 && shownUpstream.endsWith(logged[0].url),
        `the upstream URL shown is the one the service got (${shownUpstream} vs ${logged[0]?.url})`);
  check(!(await tester.locator('details.inspection').textContent()).includes(adminKey),
        'the API key is not shown (only the copied curl carries it)');
  await shot(page, 'request-inspection');
  await tester.getByRole('button', {name: 'Copy the call as curl'}).click();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  check(curl.startsWith('curl ') && curl.includes('/methods/List'), `a curl command was copied (${curl.slice(0, 60)})`);
  const curlRows = JSON.parse(execFileSync('bash', ['-c', curl], {encoding: 'utf8'})).rows.map((row) => String(row.ID));
  const tableIds = await tester.locator('table.results tbody tr td:first-child').allTextContents();
  check(JSON.stringify(curlRows) === JSON.stringify(tableIds), `the copied curl gives the same rows (${curlRows} vs ${tableIds})`);

  // 4b. The tester never builds a wrong request silently: a condition left untouched is
  //     refused at its field, a yes/no property is a yes/no choice, a number is checked where
  //     it is typed, and inputs stay when the method changes.
  await page.reload();  // a fresh tester: the same view without step 4's conditions
  const fresh = page.locator('form.panel').first();
  await fresh.getByRole('button', {name: 'Add condition'}).waitFor();
  await fresh.getByRole('button', {name: 'Add condition'}).click();
  await fresh.getByRole('button', {name: 'Execute'}).click();
  await fresh.locator('.condition .field-error', {hasText: 'give a value, or remove the condition'}).waitFor();
  check(await fresh.locator('.condition [aria-invalid="true"]').count() === 1, 'the empty condition is marked');
  await shot(page, 'tester-incomplete-condition');
  const flag = fresh.locator('.condition').first();
  await flag.getByLabel('Property').selectOption('IsAvailable');
  await flag.getByLabel('Value').selectOption({label: 'No'});
  await fresh.getByRole('button', {name: 'Show $filter'}).click();
  await fresh.locator('code.translated', {hasText: 'IsAvailable eq false'}).waitFor();
  await flag.getByLabel('Value').selectOption({label: 'Yes'});
  await fresh.getByRole('button', {name: 'Show $filter'}).click();
  await fresh.locator('code.translated', {hasText: 'IsAvailable eq true'}).waitFor();
  await shot(page, 'tester-yes-no');
  await page.getByLabel('Method').selectOption('Load');
  await page.getByLabel('ID (required)').fill('abc');
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.locator('.field-error', {hasText: "ID: 'abc' is not a number"}).first().waitFor();
  await shot(page, 'tester-not-a-number');
  await page.getByLabel('ID (required)').fill('8');
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText('Load done').waitFor();
  await page.getByLabel('Method').selectOption('Update');
  check(await page.getByLabel('ID (required)').inputValue() === '8', 'the ID input stays when the method changes');
  await shot(page, 'tester-inputs-kept');

  // 4c. From a result row: edit it (Update with its ETag), and export the rows.
  await openObject('Products');
  await page.reload();
  const products = page.locator('form.panel').first();
  await products.getByLabel('Rows per page').fill('5');
  await products.getByRole('button', {name: 'Execute'}).click();
  await products.getByText(/List: 5 rows/).waitFor();
  const [exported] = await Promise.all([page.waitForEvent('download'),
    products.getByRole('button', {name: 'Export JSON'}).click()]);
  const exportedRows = JSON.parse(fs.readFileSync(await exported.path(), 'utf8'));
  check(exportedRows.length === 5 && exportedRows[0].ID !== undefined, 'the rows are exported as JSON');
  await products.getByRole('button', {name: 'Edit row 2'}).click();
  check(await page.getByLabel('Method').inputValue() === 'Update', 'Edit switches to Update');
  const editedId = await page.getByLabel('ID (required)').inputValue();
  check(editedId === String(exportedRows[1].ID), 'the row\'s key is filled in');
  check(await page.getByLabel('ETag', {exact: true}).inputValue() === exportedRows[1].ETag, 'and its ETag');
  await page.getByLabel('Name', {exact: true}).fill('Edited from its row');
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText('Update done').waitFor();
  await shot(page, 'edited-from-row');
  const edited = await api(broker, 'POST', '/instances/demo/objects/Products/methods/Load', {inputs: {ID: Number(editedId)}});
  check(edited.json.row.Name === 'Edited from its row', 'the row was updated');

  // 4d. The columns returned, their order, no total count.
  await page.reload();  // a fresh tester: the edited row's values would filter the List
  await page.getByLabel('Rows per page').fill('5');
  await page.getByLabel('Return ID', {exact: true}).check();
  await page.getByLabel('Return Name', {exact: true}).check();
  await page.getByLabel('Order by').fill('ID desc');
  await page.getByLabel('Total count').uncheck();
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText(/List: 5 rows/).waitFor();
  const headers = await page.locator('table.results thead th').allTextContents();
  check(JSON.stringify(headers) === JSON.stringify(['ID', 'Name', 'Actions']), `only the chosen columns (${headers})`);
  const ids = (await page.locator('table.results tbody tr td:first-child').allTextContents()).map(Number);
  check(ids.every((id, i) => i === 0 || ids[i - 1] > id), `rows in the order asked (${ids})`);
  check(!(await page.locator('#results').textContent()).includes(' of '), 'no total count when not asked');
  await shot(page, 'columns-and-order');

  // 4e. Cancel a long call: the service holds it for 10 s; Cancel ends it at once, and the
  //     tester works again.
  await page.reload();
  const slow = page.locator('form.panel').first();
  await slow.getByRole('button', {name: 'Add condition'}).click();
  await slow.locator('.condition').first().getByLabel('Property').selectOption('Name');
  await slow.locator('.condition').first().getByLabel('Value').fill('slowpoke');
  await slow.getByRole('button', {name: 'Execute'}).click();
  await slow.getByText('Running List').waitFor();
  await shot(page, 'call-running');
  const cancelled = Date.now();
  await slow.getByRole('button', {name: 'Cancel', exact: true}).click();
  await slow.getByText('List was cancelled.').waitFor({timeout: 3000});
  check(Date.now() - cancelled < 3000, 'the call ends when cancelled, not when the service answers');
  await shot(page, 'call-cancelled');
  await slow.getByRole('button', {name: 'Remove condition'}).click();
  await slow.getByRole('button', {name: 'Execute'}).click();
  await slow.getByText(/List: \d+ rows/).waitFor();

  // 5. Create a row, then delete it.
  await openObject('Categories');
  await page.getByLabel('Method').selectOption('Create');
  await page.getByLabel('ID (required)').fill('77');
  await page.getByLabel('Name (required)').fill('UI category');
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText('Create done').waitFor();
  await shot(page, 'created');
  check((await api(broker, 'POST', '/instances/demo/objects/Categories/methods/Load', {inputs: {ID: 77}})).json.row.Name === 'UI category', 'the row was created');
  await page.getByLabel('Method').selectOption('Delete');
  await page.getByLabel('ID (required)').fill('77');
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText('Delete done').waitFor();
  await shot(page, 'deleted');
  check((await api(broker, 'POST', '/instances/demo/objects/Categories/methods/Load', {inputs: {ID: 77}})).status === 404, 'the row was deleted');

  // 6. Upload a media stream (with 0x00 bytes) and download it again.
  const bytes = Buffer.from(Array.from({length: 1024}, (_, i) => (i * 7) % 256));
  await openObject('Pictures');
  await page.getByLabel('Method').selectOption('Create');
  await page.getByLabel('Caption').fill('uploaded from the UI');
  await page.getByLabel('FileName').fill('bytes.bin');  // CAP names a V4 stream by this property
  await page.getByLabel('Content', {exact: true}).setInputFiles({name: 'bytes.bin', mimeType: 'application/x-test', buffer: bytes});
  await page.getByRole('button', {name: 'Execute'}).click();
  await page.getByText('Create done').waitFor();
  await shot(page, 'uploaded');
  const id = (await page.locator('table.results tbody tr td').first().textContent()).trim();
  await page.getByLabel('Method').selectOption('Load');
  await page.getByLabel('ID (required)').fill(id);
  await page.getByRole('button', {name: 'Execute'}).click();
  const link = page.getByRole('link', {name: /Download bytes\.bin/});
  await link.waitFor();
  await shot(page, 'loaded');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const downloaded = fs.readFileSync(await download.path());
  check(download.suggestedFilename() === 'bytes.bin', 'the download keeps the file name');
  check(downloaded.equals(bytes), 'the downloaded bytes are the uploaded ones');

  // 7. Queue calls from the tester and run them as one batch: as a change set whose last call
  //    fails (nothing applied), then on their own (each applied).
  await openObject('Categories');
  await page.getByLabel('Method').selectOption('Create');
  const queue = async (categoryId, categoryName) => {
    await page.getByLabel('ID (required)').fill(String(categoryId));
    await page.getByLabel('Name (required)').fill(categoryName);
    await page.getByRole('button', {name: 'Add to batch'}).click();
  };
  await queue(88, 'Batch A');
  await queue(89, 'Batch B');
  await queue(1, 'Taken');
  await page.getByText('Batch: 3 calls queued').waitFor();
  await page.getByLabel('As one change set').check();
  await shot(page, 'batch-queued');
  await page.getByRole('button', {name: 'Run batch on demo'}).click();
  await page.getByText(/Change set: \d{3} 'c3' failed/).waitFor();
  await shot(page, 'batch-change-set-failed');
  check((await api(broker, 'POST', '/instances/demo/objects/Categories/methods/Load', {inputs: {ID: 88}})).status === 404,
        'nothing of the failed change set was applied');
  // The failed batch stays queued: drop the failing call and run the rest on their own.
  await page.getByText('Batch: 3 calls queued').waitFor();
  await page.getByRole('button', {name: 'Remove c3 from the batch'}).click();
  await page.getByLabel('As one change set').uncheck();
  await page.getByRole('button', {name: 'Run batch on demo'}).click();
  await page.locator('.batch-results').getByText('c2: 201').waitFor();
  await shot(page, 'batch-ran');
  for (const categoryId of [88, 89]) {
    check((await api(broker, 'POST', '/instances/demo/objects/Categories/methods/Load', {inputs: {ID: categoryId}})).status === 200,
          `the batch created category ${categoryId}`);
  }

  // 8. The instance's OpenAPI document, downloaded with the key; the REST API's linked.
  await page.goto(`${broker}/ui/#/instances/demo`);
  const [openApi] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', {name: 'Download the OpenAPI document of demo'}).click()]);
  const document = JSON.parse(fs.readFileSync(await openApi.path(), 'utf8'));
  check(openApi.suggestedFilename() === 'demo.openapi.json' && document.openapi === '3.1.0' &&
        document.paths['/objects/Products/methods/List'], 'the OpenAPI document is downloaded');
  check(await page.getByRole('link', {name: 'REST API (OpenAPI)'}).getAttribute('href') === '/api/v1/openapi.json',
        'the REST API document is linked');

  // 9. The filter's tabs follow the arrow keys and name what they control.
  await openObject('Categories');
  const builderTab = page.getByRole('tab', {name: 'Builder'});
  await builderTab.focus();
  await page.keyboard.press('ArrowRight');
  const jsonTab = page.getByRole('tab', {name: 'JSON'});
  check(await jsonTab.getAttribute('aria-selected') === 'true', 'ArrowRight selects the JSON tab');
  check(await page.evaluate(() => document.activeElement.textContent) === 'JSON', 'and moves the focus to it');
  const controlled = await jsonTab.getAttribute('aria-controls');
  check(controlled && await page.locator(`#${controlled}`).isVisible(), 'the tab controls its visible panel');

  // 10. Dark mode when the system asks for it.
  await page.emulateMedia({colorScheme: 'dark'});
  await page.goto(`${broker}/ui/#/`);
  await page.getByRole('heading', {name: 'Service instances'}).waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = background.match(/\d+/g).map(Number);
  check(r + g + b < 150, `a dark background in dark mode (${background})`);
  check(await page.getByRole('button', {name: 'Refresh demo'}).count() === 1, 'buttons say which instance they act on');
  await shot(page, 'dark-mode');
  await page.emulateMedia({colorScheme: 'light'});

  // 11. Refresh the metadata and see what changed.
  await page.goto(`${broker}/ui/#/`);
  await page.getByRole('button', {name: 'Refresh'}).click();
  await page.getByText('No objects were added or removed.').waitFor();
  await shot(page, 'refreshed');

  await browser.close();
  check(pageErrors.length === 0, `no page errors: ${pageErrors.join('; ')}`);
  // The 401s of the key steps, the 400s of bad values and the 502s of the unreachable and
  // not-OData service URLs are the only console errors.
  const unexpected = consoleErrors.filter((text) => !/Failed to load resource: the server responded with a status of (40[01]|502)/.test(text));
  check(unexpected.length === 0, `no console errors: ${unexpected.join('; ')}`);
  console.log(`ui test passed: ${step} steps, screenshots in ${artifacts}`);
}

await run(work, children, main, () => browser?.close().catch(() => {}));
