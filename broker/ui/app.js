// The OData Broker config UI: register and change instances, browse their service objects,
// test methods. Plain modules on the REST API (/api/v1) only; no build step.

const KEY = 'odata-broker.apiKey';
const main = document.getElementById('main');

// ---- DOM ----

// h('button', {class: 'quiet', onclick: f}, 'text', child, …): an element; text is never HTML.
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function show(...nodes) {
  main.replaceChildren(...nodes.flat().filter((node) => node !== null && node !== undefined && node !== false));
}

let fieldIds = 0;
// A labelled field: the label points at the input; help and an error slot below it.
function field(labelText, input, help, name) {
  input.id ||= `f${++fieldIds}`;
  const error = h('div', {class: 'field-error', role: 'alert', id: `${input.id}-error`});
  const box = h('div', {class: 'field', 'data-field': name || ''},
                h('label', {for: input.id}, labelText), input,
                help ? h('div', {class: 'help'}, help) : null, error);
  input.setAttribute('aria-describedby', error.id);
  return box;
}

// Moves the keyboard focus (and a screen reader) to content that just appeared.
function focusNew(element) {
  if (!element) return;
  if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.tabIndex = -1;
  element.focus();
}

function errorBox(error) {
  const details = error.details && error.details.length ? `\n${error.details.join('\n')}` : '';
  return h('div', {class: 'error panel', role: 'alert'}, `${error.message}${details}`);
}

// ---- API ----

class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code;
    this.details = error?.details || [];
  }
}

async function api(method, path, body, extraHeaders = {}, signal = undefined) {
  const headers = {Accept: 'application/json', ...extraHeaders};
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal,
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status === 401) {
    askKey(key ? 'The broker did not accept this key. Check it and enter it again.'
               : 'The broker needs an API key for this.');
  }
  if (!response.ok) throw new ApiError(response.status, json?.error);
  if (json && json.error) throw new ApiError(response.status, json.error);  // ended a stream
  return json;
}

const path = (...segments) => segments.map(encodeURIComponent).join('/');
let schemaCache = null;
async function schema() {
  schemaCache ||= await api('GET', '/service-types/odata');
  return schemaCache;
}

// ---- the API key ----

const keyDialog = document.getElementById('key-dialog');
// Opens the key dialog; `problem` says why it opened (a key refused, or none given).
function askKey(problem = '') {
  const slot = document.getElementById('key-problem');
  slot.textContent = problem;
  slot.hidden = !problem;
  if (!keyDialog.open) keyDialog.showModal();
  document.getElementById('key-input').focus();
}
document.getElementById('key-button').addEventListener('click', () => askKey());
document.getElementById('key-form').addEventListener('submit', () => {
  sessionStorage.setItem(KEY, document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  render();
});
document.getElementById('key-clear').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  keyDialog.close();
});

// ---- instances ----

async function showInstances() {
  const {instances} = await api('GET', '/instances');
  const result = h('div', {id: 'refresh-result'});
  const rows = instances.map((instance) => h('tr', {},
    h('td', {}, h('a', {href: `#/instances/${encodeURIComponent(instance.name)}`}, instance.name)),
    h('td', {class: 'wrap'}, instance.description || '', h('div', {class: 'muted'}, instance.serviceUrl)),
    h('td', {}, instance.status, instance.problem ? h('div', {class: 'error'}, instance.problem) : null),
    h('td', {}, instance.odataVersion || ''),
    h('td', {}, instance.objectCount ?? ''),
    h('td', {}, instance.updatedAt || ''),
    h('td', {},
      h('div', {class: 'row'},
        h('a', {class: 'button quiet', href: `#/instances/${encodeURIComponent(instance.name)}/edit`, 'aria-label': `Edit ${instance.name}`}, 'Edit'),
        h('button', {type: 'button', class: 'quiet', 'aria-label': `Refresh ${instance.name}`, onclick: () => refresh(instance.name, result)}, 'Refresh'),
        h('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${instance.name}`, onclick: () => remove(instance.name)}, 'Delete')))));
  show(h('h1', {}, 'Service instances'),
       h('p', {}, h('a', {class: 'button', href: '#/register'}, 'Register an instance')),
       result,
       instances.length === 0 ? h('p', {class: 'muted'}, 'No instances are registered yet.')
         : h('table', {},
             h('thead', {}, h('tr', {}, ['Name', 'Description', 'Status', 'OData', 'Objects', 'Updated', ''].map((t) => h('th', {scope: 'col'}, t)))),
             h('tbody', {}, rows)));
}

async function remove(name) {
  if (!confirm(`Delete the instance '${name}'?`)) return;
  try {
    await api('DELETE', `/instances/${path(name)}`);
    render();
  } catch (error) {
    main.prepend(errorBox(error));
  }
}

// Reloads the metadata and says which objects came and went.
async function refresh(name, into) {
  into.replaceChildren(h('p', {}, h('progress', {'aria-label': 'Refreshing'}), ` Refreshing ${name}…`));
  try {
    const before = (await api('GET', `/instances/${path(name)}/objects`)).objects.map((o) => o.name);
    await api('POST', `/instances/${path(name)}/refresh`);
    const after = (await api('GET', `/instances/${path(name)}/objects`)).objects.map((o) => o.name);
    const added = after.filter((n) => !before.includes(n));
    const removed = before.filter((n) => !after.includes(n));
    into.replaceChildren(h('div', {class: 'panel', role: 'status'},
      h('p', {class: 'ok'}, `${name} refreshed: ${after.length} objects.`),
      added.length || removed.length
        ? [h('p', {}, `Added: ${added.join(', ') || 'none'}`), h('p', {}, `Removed: ${removed.join(', ') || 'none'}`)]
        : h('p', {}, 'No objects were added or removed.')));
  } catch (error) {
    into.replaceChildren(errorBox(error));
  }
  focusNew(into.firstElementChild);
}

// ---- the registration form ----

const MASK = '********';

// The service keys shown first; the rest are under "Advanced".
const BASIC_KEYS = ['serviceUrl', 'metadataUrlOrFilePath', 'requestTimeoutSeconds', 'maxRows'];

// Labels in words; the key's own name is shown beside them (it is what the API and the CLI
// take).
const LABELS = {
  serviceUrl: 'Service URL',
  metadataUrlOrFilePath: 'Metadata from another URL or file',
  serializationCompress: 'Compress serialized items',
  serializationIncludeAllTypes: 'Object types for every complex type',
  includeNonSerializedProperties: 'Nested values as inputs of Serialize',
  namesAppendPropertyTypes: 'Append types to property names',
  namesUseMethodFullName: 'Full names for operations',
  debuggingEnabled: 'Debugging details in results',
  addHttpRequestHeaderProperty: 'Request headers as an input',
  addHttpResponseHeaderProperty: 'Response headers as a return',
  ignoreErrorWhenRecordNotFound: 'Empty result for a missing record',
  ignoreUnmappableProperties: 'Skip properties of unknown types',
  usePostTunneling: 'Tunnel writes through POST',
  defaultHttpMethodForServiceOperations: 'HTTP method for service operations',
  addQueryOptionsProperty: 'Query options as an input',
  defaultHttpRequestHeaders: 'Headers sent with every request',
  handleServiceOperationFilters: 'Filters on service operations',
  addNavigationPropertiesToListMethods: 'Filter lists by related entities',
  certificateStoreName: 'Client certificate store',
  certificateStoreLocation: 'Client certificate store location',
  certificateSearchMethod: 'Find the certificate by',
  certificateSearchValue: 'Certificate to find',
  excludeQueryParameters: 'Query options never sent',
  requestTimeoutSeconds: 'Request timeout (seconds)',
  followNextLinks: 'Follow server-driven paging',
  maxRows: 'Most rows a List returns',
  csrfTokenHandling: 'CSRF token (SAP Gateway)',
  retryCount: 'Retries after connection errors, 429 and 503',
  mode: 'Mode',
  username: 'User name',
  password: 'Password',
  tokenUrl: 'Token URL',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  refreshToken: 'Refresh token',
  scope: 'Scope',
  caBundleFile: 'CA bundle file',
  skipTlsVerification: 'Skip TLS verification',
  proxyUsername: 'Proxy user name',
  proxyPassword: 'Proxy password',
};
// "someKeyName" → "Some key name" for names without a label.
function labelOf(name) {
  if (LABELS[name]) return LABELS[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function keyInput(key, value) {
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  switch (key.type) {
    case 'boolean': {
      const input = h('input', {type: 'checkbox', role: 'switch', name: key.name,
                               checked: String(value ?? key.default) === 'true'});
      return {input, read: () => input.checked};
    }
    case 'integer': {
      const input = h('input', {type: 'number', name: key.name, value: text(value ?? key.default)});
      return {input, read: () => (input.value === '' ? null : Number(input.value))};
    }
    case 'choice': {
      const input = h('select', {name: key.name},
                      key.choices.map((c) => h('option', {value: c, selected: c === text(value ?? key.default)}, c)));
      return {input, read: () => input.value};
    }
    case 'stringList':
      return listInput(key.name, Array.isArray(value) ? value : []);
    case 'headerList':
      return headerInput(key.name, Array.isArray(value) ? value : []);
    default: {
      const input = h('input', {type: key.name === 'serviceUrl' ? 'url' : 'text', name: key.name,
                               value: text(value), placeholder: key.default ?? '',
                               required: key.required});
      return {input, read: () => (input.value.trim() === '' ? null : input.value.trim())};
    }
  }
}

// An editable list of strings: a row per item, add and remove.
function listInput(name, items) {
  const list = h('div', {role: 'group', 'aria-label': name});
  const addRow = (value = '') => {
    const input = h('input', {type: 'text', value, 'aria-label': `${name} item`});
    const row = h('div', {class: 'row'}, input,
                  h('button', {type: 'button', class: 'quiet', onclick: () => row.remove()}, 'Remove'));
    list.append(row);
    return input;
  };
  items.forEach((item) => addRow(item));
  const box = h('div', {}, list, h('button', {type: 'button', class: 'quiet', onclick: () => addRow().focus()}, 'Add item'));
  return {input: box, read: () => [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean)};
}

// Name/value rows for header lists.
function headerInput(name, headers) {
  const list = h('div', {role: 'group', 'aria-label': name});
  const addRow = (header = {Name: '', Value: ''}) => {
    const n = h('input', {type: 'text', value: header.Name, placeholder: 'Name', 'aria-label': `${name} header name`});
    const v = h('input', {type: 'text', value: header.Value, placeholder: 'Value', 'aria-label': `${name} header value`});
    const row = h('div', {class: 'row'}, n, v,
                  h('button', {type: 'button', class: 'quiet', onclick: () => row.remove()}, 'Remove'));
    list.append(row);
    return n;
  };
  headers.forEach((header) => addRow(header));
  const box = h('div', {}, list, h('button', {type: 'button', class: 'quiet', onclick: () => addRow().focus()}, 'Add header'));
  return {
    input: box,
    read: () => [...list.children].map((row) => {
      const [n, v] = row.querySelectorAll('input');
      return {Name: n.value.trim(), Value: v.value};
    }).filter((header) => header.Name),
  };
}

async function showForm(name) {
  const types = await schema();
  const existing = name ? await api('GET', `/instances/${path(name)}`) : null;
  const form = h('form', {novalidate: true});
  const status = h('div', {id: 'form-status', 'aria-live': 'polite'});

  const nameInput = h('input', {type: 'text', name: 'name', value: existing?.name || '', required: true,
                               disabled: Boolean(existing), autocomplete: 'off'});
  const description = h('input', {type: 'text', name: 'description', value: existing?.description || ''});

  // Auth: the mode and the fields it uses.
  const auth = existing?.auth || {mode: 'none'};
  const modeSelect = h('select', {name: 'auth.mode'}, types.authModes.map((m) => h('option', {value: m, selected: m === auth.mode}, m)));
  const authInputs = {};
  const authBox = h('div', {class: 'grid'});
  for (const f of types.authFields) {
    let input;
    if (f.type === 'boolean') {
      input = h('input', {type: 'checkbox', role: 'switch', checked: auth[f.name] === true});
    } else {
      const secret = f.type === 'secret';
      input = h('input', {type: secret ? 'password' : 'text', autocomplete: secret ? 'new-password' : 'off',
                         value: secret ? '' : (auth[f.name] || ''),
                         placeholder: secret && auth[f.name] === MASK ? 'unchanged (write-only)' : ''});
      input.dataset.stored = secret && auth[f.name] === MASK ? 'yes' : '';
    }
    authInputs[f.name] = {field: f, input};
    const box = field([labelOf(f.name), ' ', h('code', {class: 'key-name'}, f.name)], input, f.description, `auth.${f.name}`);
    box.dataset.modes = f.modes.join(',');
    authBox.append(box);
  }
  const showAuthFields = () => {
    for (const box of authBox.children) {
      const modes = box.dataset.modes.split(',');
      box.hidden = !(modes.includes('*') || modes.includes(modeSelect.value));
    }
  };
  modeSelect.addEventListener('change', showAuthFields);
  showAuthFields();

  // Service keys, from the schema: the basic ones, then the rest folded away.
  const keyReaders = {};
  const basicBox = h('div', {class: 'grid'});
  const advancedBox = h('div', {class: 'grid'});
  const given = existing?.serviceKeys || {};
  for (const key of types.serviceKeys) {
    const {input, read} = keyInput(key, given[key.name]);
    keyReaders[key.name] = {key, read};
    const defaultText = key.default === null || key.default === undefined || key.default === '' ? 'none' : String(key.default);
    const help = `${key.description} (${key.type}; default: ${defaultText})`;
    const label = [labelOf(key.name), key.required ? ' (required)' : '', ' ', h('code', {class: 'key-name'}, key.name)];
    const into = BASIC_KEYS.includes(key.name) ? basicBox : advancedBox;
    if (key.type === 'boolean') {
      input.id ||= `f${++fieldIds}`;
      const error = h('div', {class: 'field-error', role: 'alert', id: `${input.id}-error`});
      input.setAttribute('aria-describedby', error.id);
      into.append(h('div', {class: 'field', 'data-field': `serviceKeys.${key.name}`},
                    h('label', {class: 'switch', for: input.id}, input, label),
                    h('div', {class: 'help'}, help), error));
    } else {
      into.append(field(label, input, help, `serviceKeys.${key.name}`));
    }
  }
  for (const name of [...BASIC_KEYS].reverse()) {  // in the order BASIC_KEYS gives
    const box = basicBox.querySelector(`[data-field="serviceKeys.${name}"]`);
    if (box) basicBox.prepend(box);
  }
  const advancedGiven = Object.keys(given).filter((name) => !BASIC_KEYS.includes(name));
  const advanced = h('details', {class: 'advanced', open: advancedGiven.length > 0},
    h('summary', {}, 'Advanced service keys',
      h('span', {class: 'muted'}, advancedGiven.length ? ` (${advancedGiven.length} set)` : ' (all at their defaults)')),
    advancedBox);

  const submit = h('button', {type: 'submit'}, existing ? 'Save and re-discover' : 'Register');
  form.append(
    h('div', {class: 'panel'}, field('Name', nameInput, 'A-Z a-z 0-9 _ - . (a URL segment)', 'name'),
      field('Description', description, null, 'description')),
    h('h2', {}, 'Authentication'),
    h('div', {class: 'panel'}, field('Mode', modeSelect, null, 'auth.mode'), authBox),
    h('h2', {}, 'Service keys'),
    h('div', {class: 'panel'}, basicBox, advanced),
    status,
    h('div', {class: 'actions'}, submit, h('a', {class: 'button quiet', href: '#/'}, 'Cancel')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const box of form.querySelectorAll('.field.invalid')) box.classList.remove('invalid');
    for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
    const body = {name: existing ? existing.name : nameInput.value.trim(), serviceKeys: {}, auth: {mode: modeSelect.value}};
    if (description.value.trim()) body.description = description.value.trim();
    for (const [keyName, {key, read}] of Object.entries(keyReaders)) {
      const value = read();
      if (value === null || (Array.isArray(value) && value.length === 0 && !(keyName in given))) continue;
      if (!(keyName in given) && key.type !== 'string' && String(value) === String(key.default)) continue;
      body.serviceKeys[keyName] = value;
    }
    for (const [fieldName, {field: f, input}] of Object.entries(authInputs)) {
      if (input.closest('.field').hidden) continue;
      if (f.type === 'boolean') {
        if (input.checked) body.auth[fieldName] = true;
      } else if (input.value !== '') {
        body.auth[fieldName] = input.value;
      } else if (input.dataset.stored) {
        body.auth[fieldName] = MASK;  // keeps the stored secret
      }
    }
    submit.disabled = true;
    status.replaceChildren(h('p', {role: 'status'}, h('progress', {'aria-label': 'Loading metadata'}),
                             ' Loading the service\'s metadata and building its objects…'));
    try {
      const result = existing
        ? await api('PUT', `/instances/${path(existing.name)}`, body)
        : await api('POST', '/instances', body);
      const objects = result.objects || (await api('GET', `/instances/${path(result.name)}/objects`)).objects;
      const count = (folder) => objects.filter((o) => o.folder === folder).length;
      status.replaceChildren(h('div', {class: 'panel', role: 'status'},
        h('p', {class: 'ok'}, `${result.name} is ${existing ? 'saved' : 'registered'}: ${objects.length} objects ` +
          `(${count('Entities')} entities, ${count('Operations')} operations, ${count('ObjectTypes')} object types), OData ${result.odataVersion}.`),
        h('a', {href: `#/instances/${encodeURIComponent(result.name)}`}, 'Browse its objects')));
      focusNew(status.firstElementChild);
    } catch (error) {
      // At its field when it names one (the details of a failed metadata load, such as the
      // page a service answered with, stay out of sight); in the status area otherwise.
      if (placeError(form, error)) {
        status.replaceChildren(h('p', {class: 'error', role: 'status'}, 'Not saved: the marked field says why.'));
      } else {
        status.replaceChildren(errorBox(error));
        focusNew(status.firstElementChild);
      }
    } finally {
      submit.disabled = false;
    }
  });
  show(h('h1', {}, existing ? `Change ${existing.name}` : 'Register a service instance'), form);
  (existing ? description : nameInput).focus();
}

// A failed metadata load in words, for the service URL field: the service could not be
// reached, did not answer in time, refused the credentials, or answered with something that is
// not OData metadata (a web page, say). Null when the error is about something else.
function serviceUrlProblem(error, fromOverride) {
  const about = error.message.match(/^metadata from (\S+): (.*)$/s);
  if (!about) return null;
  const [, url, reason] = about;
  const status = (error.details.find((d) => d.startsWith('upstream status')) || '').match(/\d{3}/)?.[0];
  const unreachable = reason.match(/(Connection refused|Host not found[^,;]*|Network is unreachable|No route to host|Connection reset[^,;]*|timed out[^,;]*)/i);
  if (error.code === 'UpstreamTimeout') {
    return `The service did not answer in time when asked for ${url}. Check the URL, or raise the request timeout.`;
  }
  if (status === '401' || status === '403') {
    return `The service refused the credentials (HTTP ${status}) for ${url}: check the authentication below.`;
  }
  if (status) {
    return `The service answered HTTP ${status} when asked for ${url}: this URL is not the root of an OData service. ` +
      'Give the URL that $metadata follows, ending with a slash.';
  }
  if (unreachable) return `The service could not be reached at ${url}: ${unreachable[1].toLowerCase()}.`;
  if (/malformed XML|root element|no root element|is empty/.test(reason)) {
    return `${url} answered, but not with OData metadata (an EDMX document): perhaps a web page or a login page. ` +
      (fromOverride ? 'Give the URL or file of the $metadata document.' : 'Give the service root, the URL that $metadata follows.');
  }
  return `The metadata at ${url} cannot be used: ${reason}`;
}

// Shows an API message at the field it names ("service key 'retryCount': …", "auth.username …",
// "name: …"), or a failed metadata load at the service URL in words; opens the advanced keys
// when the field is among them. True when the message went to a field.
function placeError(form, error) {
  const message = error.message;
  const named = message.match(/service key '([^']+)'/) || message.match(/^(serviceUrl|metadataUrlOrFilePath)\b/);
  const authNamed = message.match(/\bauth\.(\w+)/);
  const fromOverride = Boolean(form.querySelector('[data-field="serviceKeys.metadataUrlOrFilePath"] input')?.value.trim());
  const problem = serviceUrlProblem(error, fromOverride);
  let selector = null;
  let text = message;
  if (problem) {
    selector = `[data-field="serviceKeys.${fromOverride ? 'metadataUrlOrFilePath' : 'serviceUrl'}"]`;
    text = problem;
  } else if (named) selector = `[data-field="serviceKeys.${named[1]}"]`;
  else if (authNamed) selector = `[data-field="auth.${authNamed[1]}"]`;
  else if (/^name\b/.test(message)) selector = '[data-field="name"]';
  const box = selector && form.querySelector(selector);
  if (!box) return false;
  const folded = box.closest('details');
  if (folded) folded.open = true;
  box.classList.add('invalid');
  box.querySelector('.field-error').textContent = text;
  box.querySelector('input, select, textarea')?.focus();
  return true;
}

// ---- browsing ----

const FOLDERS = ['Entities', 'Operations', 'ObjectTypes'];

async function showInstance(name) {
  const [{objects}, instance] = await Promise.all([
    api('GET', `/instances/${path(name)}/objects`), api('GET', `/instances/${path(name)}`)]);
  const filter = h('input', {type: 'text', placeholder: 'Filter by name', 'aria-label': 'Filter objects by name'});
  const lists = h('div', {});
  const draw = () => {
    const text = filter.value.toLowerCase();
    lists.replaceChildren(...FOLDERS.map((folder) => {
      const inFolder = objects.filter((o) => o.folder === folder && o.name.toLowerCase().includes(text));
      return h('details', {open: folder === 'Entities' || text !== ''},
        h('summary', {}, h('strong', {}, folder), ` (${inFolder.length})`),
        h('ul', {class: 'plain', 'aria-label': folder}, inFolder.map((o) => h('li', {},
          h('a', {href: `#/instances/${encodeURIComponent(name)}/objects/${encodeURIComponent(o.name)}`}, o.name),
          ' ', h('span', {class: 'muted'}, o.methods.join(', '))))));
    }));
  };
  filter.addEventListener('input', draw);
  draw();
  show(h('h1', {}, name, ' ', h('span', {class: 'badge'}, `OData ${instance.odataVersion || '?'}`)),
       h('p', {class: 'muted'}, instance.serviceUrl || instance.serviceKeys?.serviceUrl || ''),
       h('p', {}, h('button', {type: 'button', class: 'quiet', onclick: () => downloadOpenApi(name)}, `Download the OpenAPI document of ${name}`),
         ' ', h('span', {class: 'muted'}, 'to import into a workflow tool: an operation per method')),
       h('div', {class: 'panel'}, field('Find', filter), lists));
}

// The instance's OpenAPI document needs the API key, so it is fetched and saved as a file.
async function downloadOpenApi(name) {
  try {
    const doc = await api('GET', `/instances/${path(name)}/openapi.json`);
    const link = h('a', {href: URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], {type: 'application/json'})),
                         download: `${name}.openapi.json`});
    document.body.append(link);
    link.click();
    link.remove();
  } catch (error) {
    main.prepend(errorBox(error));
  }
}

async function showObject(name, objectName) {
  const object = await api('GET', `/instances/${path(name)}/objects/${path(objectName)}`);
  const properties = h('table', {},
    h('thead', {}, h('tr', {}, ['Name', 'SO type', 'EDM type', 'Key', 'Role'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, object.properties.map((p) => h('tr', {},
      h('td', {}, p.name), h('td', {}, p.type), h('td', {}, p.edmType), h('td', {}, p.key ? 'yes' : ''), h('td', {}, p.role)))));
  const methods = h('table', {},
    h('thead', {}, h('tr', {}, ['Method', 'Inputs', 'Required', 'Returns'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, object.methods.map((m) => h('tr', {},
      h('td', {}, m.name, h('div', {class: 'muted'}, m.type)), h('td', {class: 'wrap'}, m.inputs.join(', ')),
      h('td', {class: 'wrap'}, m.required.join(', ')), h('td', {class: 'wrap'}, m.returns.join(', '))))));
  show(h('p', {}, h('a', {href: `#/instances/${encodeURIComponent(name)}`}, `← ${name}`)),
       h('h1', {}, object.name, ' ', h('span', {class: 'badge'}, object.folder)),
       object.description ? h('p', {}, object.description) : null,
       h('h2', {}, 'Test a method'), tester(name, object),
       h('h2', {}, 'Properties'), properties,
       h('h2', {}, 'Methods'), methods);
}

// ---- the tester ----

const LIST_METHODS = ['List', 'ListWithoutContent'];
const OPERATORS = {
  text: ['equals', 'notEquals', 'startsWith', 'endsWith', 'contains', 'isNull', 'isNotNull', 'in'],
  ordered: ['equals', 'notEquals', 'greaterThan', 'greaterThanEquals', 'lessThan', 'lessThanEquals', 'isNull', 'isNotNull', 'in'],
  flag: ['equals', 'notEquals', 'isNull', 'isNotNull'],
};
const operatorsFor = (type) => (type === 'Text' || type === 'Memo' || type === 'Guid' ? OPERATORS.text
  : type === 'YesNo' ? OPERATORS.flag : OPERATORS.ordered);

// Operators in words; the filter's own names are the values.
const OPERATOR_WORDS = {
  equals: 'is', notEquals: 'is not', startsWith: 'starts with', endsWith: 'ends with',
  contains: 'contains', isNull: 'is empty', isNotNull: 'is not empty', in: 'is one of (a, b, …)',
  greaterThan: 'is greater than', greaterThanEquals: 'is at least', lessThan: 'is less than',
  lessThanEquals: 'is at most',
};

// A value typed for a property, checked where it was typed: a wrong one is an Error that says
// what is wrong with it (the caller shows it at the field).
function literal(type, text, what) {
  if (type === 'Number') {
    const trimmed = text.trim();
    if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
      throw new Error(`${what}: '${text}' is not a number`);
    }
    return Number(trimmed);
  }
  if (type === 'YesNo') {
    if (text !== 'true' && text !== 'false') throw new Error(`${what}: choose yes or no`);
    return text === 'true';
  }
  return text;  // Decimal as a string keeps its digits; dates as ISO text
}

// Marks `input` wrong with `message` (or clears it), beside the input.
function markField(input, message) {
  let slot = input.nextElementSibling;
  if (!slot || !slot.classList.contains('field-error-inline')) {
    slot = h('span', {class: 'field-error field-error-inline', role: 'alert'});
    input.after(slot);
  }
  slot.textContent = message || '';
  if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
}

// Reads a control, showing a wrong value at it; rethrows so that nothing is sent.
function checked(input, read) {
  try {
    const value = read();
    markField(input, '');
    return value;
  } catch (error) {
    markField(input, error.message);
    input.focus();
    throw error;
  }
}

// The control for a value of `type`: a yes/no choice, a number, a date or time picker, text.
function valueControl(type, label) {
  if (type === 'YesNo') {
    return h('select', {'aria-label': label}, h('option', {value: ''}, '(choose)'),
             h('option', {value: 'true'}, 'Yes'), h('option', {value: 'false'}, 'No'));
  }
  if (type === 'Number') return h('input', {type: 'text', inputmode: 'decimal', 'aria-label': label});
  if (type === 'Date') return h('input', {type: 'date', 'aria-label': label});
  if (type === 'Time') return h('input', {type: 'time', step: 1, 'aria-label': label});
  return h('input', {type: 'text', 'aria-label': label,
                     placeholder: {DateTime: '2024-01-31T12:00:00Z', Guid: '00000000-0000-0000-0000-000000000000', Decimal: '12.50'}[type] || ''});
}

function inputFor(property) {
  switch (property.type) {
    case 'YesNo': {
      const input = h('select', {}, h('option', {value: ''}, '(none)'), h('option', {value: 'true'}, 'Yes'), h('option', {value: 'false'}, 'No'));
      return {input, read: async () => (input.value === '' ? undefined : input.value === 'true')};
    }
    case 'Number': {
      // Text, checked here: a number input would give '' for 'abc', sent as nothing.
      const input = h('input', {type: 'text', inputmode: 'decimal'});
      return {input, read: async () => (input.value === '' ? undefined
        : checked(input, () => literal('Number', input.value, property.name)))};
    }
    case 'Date': {
      const input = h('input', {type: 'date'});
      return {input, read: async () => (input.value === '' ? undefined : input.value)};
    }
    case 'File': {
      const input = h('input', {type: 'file'});
      return {
        input,
        read: async () => {
          const file = input.files[0];
          if (!file) return undefined;
          const bytes = new Uint8Array(await file.arrayBuffer());
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return {fileName: file.name, contentType: file.type || 'application/octet-stream', content: btoa(binary)};
        },
      };
    }
    case 'Memo': {
      const input = h('textarea', {rows: 3});
      return {input, read: async () => (input.value === '' ? undefined : input.value)};
    }
    default: {
      const placeholder = {DateTime: '2024-01-31T12:00:00Z', Date: '2024-01-31', Time: '12:00:00',
                           Guid: '00000000-0000-0000-0000-000000000000', Decimal: '12.50'}[property.type] || '';
      const input = h('input', {type: 'text', placeholder});
      return {input, read: async () => (input.value === '' ? undefined : input.value)};
    }
  }
}

// The visual filter builder: groups (and/or) of conditions on the object's properties.
function filterBuilder(object) {
  const properties = object.properties.filter((p) => p.role === 'data' && p.type !== 'File');
  const byName = Object.fromEntries(properties.map((p) => [p.name, p]));

  function condition(parent) {
    const property = h('select', {'aria-label': 'Property'}, properties.map((p) => h('option', {value: p.name}, p.name)));
    const operator = h('select', {'aria-label': 'Operator'});
    let value = valueControl(byName[property.value]?.type, 'Value');
    const fillOperators = () => {
      const keep = operator.value;
      operator.replaceChildren(...operatorsFor(byName[property.value]?.type).map((o) => h('option', {value: o, selected: o === keep}, OPERATOR_WORDS[o] || o)));
      // `in` takes a list: text; otherwise the property's own control.
      const type = operator.value === 'in' ? 'Text' : byName[property.value]?.type;
      const wanted = valueControl(type, 'Value');
      if (wanted.tagName !== value.tagName || wanted.type !== value.type) {
        markField(value, '');
        value.replaceWith(wanted);
        value = wanted;
      }
      value.hidden = operator.value === 'isNull' || operator.value === 'isNotNull';
    };
    property.addEventListener('change', fillOperators);
    operator.addEventListener('change', fillOperators);
    const row = h('div', {class: 'row condition'}, property, operator, value,
                  h('button', {type: 'button', class: 'quiet', 'aria-label': 'Remove condition', onclick: () => row.remove()}, 'Remove'));
    fillOperators();
    row.toJson = () => {
      const p = byName[property.value];
      const subject = {property: p.name};
      if (operator.value === 'isNull' || operator.value === 'isNotNull') return {[operator.value]: [subject]};
      return checked(value, () => {
        // A condition left without its value is refused, never sent as a default.
        if (value.value.trim() === '') throw new Error(`${p.name} ${OPERATOR_WORDS[operator.value]}: give a value, or remove the condition`);
        if (operator.value === 'in') {
          return {in: [subject, value.value.split(',').map((v) => literal(p.type, v.trim(), p.name))]};
        }
        return {[operator.value]: [subject, literal(p.type, value.value, p.name)]};
      });
    };
    parent.append(row);
    return row;
  }

  function group(parent) {
    const join = h('select', {'aria-label': 'Join'}, h('option', {value: 'and'}, 'all of (and)'), h('option', {value: 'or'}, 'any of (or)'));
    const items = h('div', {});
    const box = h('div', {class: 'group'},
      h('div', {class: 'row'}, join,
        h('button', {type: 'button', class: 'quiet', onclick: () => condition(items)}, 'Add condition'),
        h('button', {type: 'button', class: 'quiet', onclick: () => group(items)}, 'Add group'),
        parent ? h('button', {type: 'button', class: 'quiet', onclick: () => box.remove()}, 'Remove group') : null),
      items);
    box.toJson = () => {
      const parts = [...items.children].map((child) => child.toJson()).filter(Boolean);
      if (parts.length === 0) return null;
      return parts.length === 1 ? parts[0] : {[join.value]: parts};
    };
    if (parent) parent.append(box);
    return box;
  }

  const root = group(null);
  return {element: root, toJson: () => root.toJson()};
}

function downloadLink(file) {
  const bytes = Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], {type: file.contentType || 'application/octet-stream'}));
  return h('a', {href: url, download: file.fileName || 'content', class: 'download'}, `Download ${file.fileName || 'content'} (${bytes.length} bytes)`);
}

function cell(value) {
  if (value === null || value === undefined) return h('td', {class: 'muted'}, 'null');
  if (typeof value === 'object' && typeof value.content === 'string') return h('td', {}, downloadLink(value));
  if (typeof value === 'object' && typeof value.url === 'string') return h('td', {class: 'wrap'}, h('a', {href: value.url, rel: 'noopener'}, value.url));
  if (typeof value === 'object') return h('td', {class: 'wrap'}, h('code', {}, JSON.stringify(value)));
  return h('td', {class: 'wrap', title: String(value)}, String(value));
}

// `actions(row, index)`: buttons for a row, in a last column (none when not given).
function rowsTable(rows, actions) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Results'},
    h('table', {class: 'results'},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)),
        actions ? h('th', {scope: 'col'}, 'Actions') : null)),
      h('tbody', {}, rows.map((row, index) => h('tr', {}, columns.map((c) => cell(row[c])),
        actions ? h('td', {}, h('div', {class: 'row'}, actions(row, index))) : null)))));
}

// Saves `text` as a file.
function saveFile(fileName, type, text) {
  const link = h('a', {href: URL.createObjectURL(new Blob([text], {type})), download: fileName});
  document.body.append(link);
  link.click();
  link.remove();
}

// Rows as CSV (RFC 4180): a header of the columns, values quoted where they need it.
function csvOf(rows) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const quote = (value) => {
    const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.map(quote).join(','), ...rows.map((row) => columns.map((c) => quote(row[c])).join(','))].join('\r\n') + '\r\n';
}

function tester(name, object) {
  const methodSelect = h('select', {name: 'method'}, object.methods.map((m) => h('option', {value: m.name}, `${m.name} (${m.type})`)));
  const inputsBox = h('div', {class: 'grid'});
  const filterBox = h('div', {});
  const results = h('div', {id: 'results', 'aria-live': 'polite'});
  const pageSize = h('input', {type: 'number', min: 1, value: 25, 'aria-label': 'Rows per page'});
  // What a List returns and how: the columns, their order, the total count.
  const columnsBox = h('fieldset', {class: 'columns'}, h('legend', {}, 'Returned columns (none chosen: all)'));
  const orderBy = h('input', {type: 'text', placeholder: 'Name desc, ID', 'aria-label': 'Order by'});
  const totalCount = h('input', {type: 'checkbox', checked: true, 'aria-label': 'Total count'});
  const listOptions = h('div', {class: 'list-options'}, columnsBox,
    field('Order by', orderBy), h('label', {class: 'row'}, totalCount, ' Total count'));
  let readers = [];
  let builder = null;
  let mode = 'builder';
  const pasted = h('textarea', {rows: 4, 'aria-label': 'Filter JSON', placeholder: '{"equals": [{"property": "ID"}, 1]}'});
  const translated = h('div', {});

  const currentMethod = () => object.methods.find((m) => m.name === methodSelect.value);
  const draw = () => {
    const method = currentMethod();
    // What was typed stays when the method changes (Load → Update): inputs of the same name.
    const typed = Object.fromEntries(readers.filter((r) => r.input.type !== 'file').map((r) => [r.name, r.input.value]));
    readers = method.inputs.map((inputName) => {
      const property = object.properties.find((p) => p.name === inputName);
      const {input, read} = inputFor(property);
      input.name = inputName;
      const required = method.required.includes(inputName);
      return {name: inputName, input, read, box: field(`${inputName}${required ? ' (required)' : ''}`, input, `${property.type} · ${property.edmType}`, `input.${inputName}`)};
    });
    for (const reader of readers) {
      if (reader.name in typed && reader.input.type !== 'file') reader.input.value = typed[reader.name];
    }
    inputsBox.replaceChildren(...readers.map((r) => r.box));
    const listing = LIST_METHODS.includes(method.type);
    filterBox.hidden = !listing;
    pageSize.closest('.field')?.toggleAttribute('hidden', !listing);
    listOptions.hidden = !listing;
    columnsBox.replaceChildren(h('legend', {}, 'Returned columns (none chosen: all)'),
      ...(listing ? method.returns : []).map((column) => h('label', {class: 'column-choice'},
        h('input', {type: 'checkbox', value: column, 'aria-label': `Return ${column}`}), ` ${column}`)));
    results.replaceChildren();
  };

  builder = filterBuilder(object);
  const paneId = `filter-${Math.random().toString(36).slice(2)}`;
  const tabBuilder = h('button', {type: 'button', role: 'tab', 'aria-selected': 'true', 'aria-controls': `${paneId}-builder`, id: `${paneId}-tab-builder`}, 'Builder');
  const tabJson = h('button', {type: 'button', role: 'tab', 'aria-selected': 'false', 'aria-controls': `${paneId}-json`, id: `${paneId}-tab-json`, tabindex: '-1'}, 'JSON');
  const builderPane = h('div', {role: 'tabpanel', id: `${paneId}-builder`, 'aria-labelledby': tabBuilder.id}, builder.element);
  const jsonPane = h('div', {role: 'tabpanel', id: `${paneId}-json`, 'aria-labelledby': tabJson.id, hidden: true}, field('Filter (JSON)', pasted));
  const selectTab = (which) => {
    mode = which;
    tabBuilder.setAttribute('aria-selected', String(which === 'builder'));
    tabJson.setAttribute('aria-selected', String(which === 'json'));
    tabBuilder.tabIndex = which === 'builder' ? 0 : -1;
    tabJson.tabIndex = which === 'json' ? 0 : -1;
    builderPane.hidden = which !== 'builder';
    jsonPane.hidden = which !== 'json';
  };
  tabBuilder.addEventListener('click', () => selectTab('builder'));
  tabJson.addEventListener('click', () => selectTab('json'));
  // Arrow keys move between the tabs (the WAI-ARIA tabs pattern).
  for (const tab of [tabBuilder, tabJson]) {
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      event.preventDefault();
      const next = tab === tabBuilder ? tabJson : tabBuilder;
      selectTab(next === tabBuilder ? 'builder' : 'json');
      next.focus();
    });
  }

  const currentFilter = () => {
    if (mode === 'json') {
      if (!pasted.value.trim()) return null;
      return JSON.parse(pasted.value);  // a SyntaxError is shown as it is
    }
    return builder.toJson();
  };

  const translate = async () => {
    try {
      const filter = currentFilter();
      if (!filter) {
        translated.replaceChildren(h('p', {class: 'muted'}, 'No filter.'));
        return;
      }
      const plan = await api('POST', `/instances/${path(name)}/objects/${path(object.name)}/filter`, {filter});
      translated.replaceChildren(h('p', {}, '$filter: ', h('code', {class: 'translated'}, plan.filter),
        h('span', {class: 'muted'}, ` (evaluated by the ${plan.evaluatedBy})`)), h('p', {class: 'muted wrap'}, plan.url));
    } catch (error) {
      translated.replaceChildren(errorBox(error));
    }
  };

  filterBox.append(h('h3', {}, 'Filter'), h('div', {class: 'tabs', role: 'tablist'}, tabBuilder, tabJson),
                   builderPane, jsonPane,
                   h('div', {class: 'actions'}, h('button', {type: 'button', class: 'quiet', onclick: translate}, 'Show $filter')),
                   translated);

  // The execute body of the call as the form stands.
  const callBody = async (skip) => {
    const method = currentMethod();
    const body = {inputs: {}};
    for (const reader of readers) {
      const value = await reader.read();
      if (value !== undefined) body.inputs[reader.name] = value;
    }
    if (LIST_METHODS.includes(method.type)) {
      const filter = currentFilter();
      if (filter) body.filter = filter;
      body.top = Number(pageSize.value) || 25;
      body.skip = skip;
      body.includeTotalCount = totalCount.checked;
      const columns = [...columnsBox.querySelectorAll('input:checked')].map((box) => box.value);
      if (columns.length) body.returns = columns;
      if (orderBy.value.trim()) body.orderBy = orderBy.value.trim();
    }
    return body;
  };

  const queueCall = async () => {
    try {
      const body = await callBody(0);
      batch.add({object: object.name, method: currentMethod().name, ...body});
    } catch (error) {
      results.replaceChildren(errorBox(error));
    }
  };

  const execute = async (skip = 0) => {
    const method = currentMethod();
    let body;
    try {
      body = await callBody(skip);
    } catch (error) {
      results.replaceChildren(errorBox(error));
      focusNew(results.firstElementChild);
      return;
    }
    // A long call can be cancelled: the browser drops the request and the tester is free again
    // (the broker finishes the upstream request it is waiting on, and its answer is dropped).
    const abort = new AbortController();
    results.replaceChildren(h('p', {role: 'status'}, h('progress', {'aria-label': 'Running'}), ` Running ${method.name}… `,
      h('button', {type: 'button', class: 'quiet', onclick: () => abort.abort()}, 'Cancel')));
    try {
      const started = performance.now();
      const callPath = `/instances/${path(name)}/objects/${path(object.name)}/methods/${path(method.name)}`;
      const reply = await api('POST', callPath, body, {'X-Broker-Inspect': 'true'}, abort.signal);
      const ms = Math.round(performance.now() - started);
      const inspected = inspectionPanel(`/api/v1${callPath}`, body, reply?.inspection?.upstream || []);
      if (reply && Array.isArray(reply.rows)) {
        const total = reply.totalCount ?? null;
        const pager = h('div', {class: 'row'},
          h('button', {type: 'button', class: 'quiet', disabled: skip === 0, onclick: () => execute(Math.max(0, skip - body.top))}, 'Previous page'),
          h('span', {}, `Rows ${reply.rows.length ? skip + 1 : 0}–${skip + reply.rows.length}${total !== null ? ` of ${total}` : ''}`),
          h('button', {type: 'button', class: 'quiet', disabled: reply.rows.length < body.top, onclick: () => execute(skip + body.top)}, 'Next page'));
        const exports = h('div', {class: 'row'},
          h('button', {type: 'button', class: 'quiet', onclick: () => saveFile(`${object.name}.csv`, 'text/csv', csvOf(reply.rows))}, 'Export CSV'),
          h('button', {type: 'button', class: 'quiet', onclick: () => saveFile(`${object.name}.json`, 'application/json', JSON.stringify(reply.rows, null, 2))}, 'Export JSON'));
        results.replaceChildren(h('p', {class: 'ok', role: 'status'}, `${method.name}: ${reply.count} rows in ${ms} ms.`), pager,
                                ...(reply.rows.length ? [exports, rowsTable(reply.rows, rowActions)] : [h('p', {class: 'muted'}, 'No rows.')]),
                                inspected);
      } else {
        results.replaceChildren(h('p', {class: 'ok', role: 'status'}, `${method.name} done in ${ms} ms.`),
                                reply && reply.row ? rowsTable([reply.row]) : h('p', {class: 'muted'}, 'No row.'),
                                inspected);
      }
    } catch (error) {
      results.replaceChildren(error.name === 'AbortError'
        ? h('p', {class: 'muted', role: 'status'}, `${method.name} was cancelled.`) : errorBox(error));
    }
    focusNew(results.firstElementChild);
  };

  // A method of this object with the form filled from `row` (keys, ETag, the other values).
  const useRow = (methodName, row) => {
    methodSelect.value = methodName;
    draw();
    for (const reader of readers) {
      const value = row[reader.name];
      if (value === undefined || value === null || typeof value === 'object' || reader.input.type === 'file') continue;
      reader.input.value = String(value);
    }
  };
  const has = (methodName) => object.methods.some((m) => m.name === methodName);
  // From a result row: load it, edit it (Update with its ETag), delete it.
  const rowActions = object.folder !== 'Entities' ? undefined : (row, index) => [
    has('Load') ? h('button', {type: 'button', class: 'quiet', 'aria-label': `Load row ${index + 1}`,
      onclick: () => { useRow('Load', row); execute(0); }}, 'Load') : null,
    has('Update') ? h('button', {type: 'button', class: 'quiet', 'aria-label': `Edit row ${index + 1}`,
      onclick: () => {
        useRow('Update', row);
        const first = readers.find((r) => !object.properties.find((p) => p.name === r.name)?.key);
        (first || readers[0])?.input.focus();
      }}, 'Edit') : null,
    has('Delete') ? h('button', {type: 'button', class: 'danger', 'aria-label': `Delete row ${index + 1}`,
      onclick: () => {
        if (!confirm(`Delete this ${object.name} row?`)) return;
        useRow('Delete', row);
        execute(0);
      }}, 'Delete') : null,
  ];

  methodSelect.addEventListener('change', draw);
  const batch = batchPanel(name);
  const panel = h('form', {class: 'panel', onsubmit: (event) => { event.preventDefault(); execute(0); }},
    field('Method', methodSelect), inputsBox, filterBox, listOptions, field('Rows per page', pageSize),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Execute'),
      h('button', {type: 'button', class: 'quiet', onclick: queueCall}, 'Add to batch')),
    results, batch.element);
  draw();
  return panel;
}

// ---- request inspection ----

// A shell word: single-quoted, its own quotes escaped.
const shellWord = (text) => `'${String(text).replaceAll("'", "'\\''")}'`;

function curlOf(method, url, headers, body) {
  const parts = ['curl', '-sS', '-X', method, shellWord(url)];
  for (const {name, value} of headers) parts.push('-H', shellWord(`${name}: ${value}`));
  if (body) parts.push('--data-raw', shellWord(body));
  return parts.join(' ');
}

function copyButton(label, text) {
  const button = h('button', {type: 'button', class: 'quiet'}, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the text instead';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

function bodyBlock(label, text, bytes, fileName) {
  if (!text) return null;
  const cut = bytes > text.length;
  return h('div', {}, h('p', {class: 'muted'}, `${label} (${bytes} bytes${cut ? `, the first ${text.length} shown` : ''})`),
    h('pre', {class: 'wrap'}, text),
    h('button', {type: 'button', class: 'quiet', onclick: () => saveFile(fileName, 'text/plain', text)}, `Download ${label.toLowerCase()}`));
}

// The broker call as sent, and every request the broker made for it upstream.
function inspectionPanel(callPath, body, upstream) {
  const key = sessionStorage.getItem(KEY);
  const callHeaders = [{name: 'Content-Type', value: 'application/json'}];
  if (key) callHeaders.push({name: 'Authorization', value: `Bearer ${key}`});
  const callJson = JSON.stringify(body);
  return h('details', {class: 'inspection'},
    h('summary', {}, `Requests: this call and ${upstream.length} to the service`),
    h('h4', {}, 'The call to the broker'),
    h('p', {}, h('code', {class: 'call-url'}, `POST ${location.origin}${callPath}`)),
    h('pre', {class: 'wrap'}, callJson),
    copyButton('Copy the call as curl', curlOf('POST', `${location.origin}${callPath}`, callHeaders, callJson)),
    h('h4', {}, 'What the broker sent the service'),
    h('ol', {}, upstream.map((r, index) => h('li', {},
      h('p', {}, h('code', {class: 'upstream-url'}, `${r.method} ${r.url}`),
        ` → ${r.status || 'no answer'} in ${r.milliseconds} ms`, r.error ? h('span', {class: 'error'}, ` ${r.error}`) : null),
      h('details', {}, h('summary', {}, 'Headers (secrets masked)'),
        h('table', {}, h('tbody', {}, [...r.headers.map((x) => h('tr', {}, h('th', {scope: 'row'}, x.name), h('td', {class: 'wrap'}, x.value))),
          h('tr', {}, h('th', {scope: 'row', colspan: 2}, 'Answer')),
          ...r.responseHeaders.map((x) => h('tr', {}, h('th', {scope: 'row'}, x.name), h('td', {class: 'wrap'}, x.value)))]))),
      bodyBlock('Request body', r.body, r.bodyBytes, `request-${index + 1}.txt`),
      bodyBlock('Response body', r.responseBody, r.responseBytes, `response-${index + 1}.txt`),
      copyButton('Copy as curl', curlOf(r.method, r.url, r.headers, r.body))))));
}

// ---- batch ----

// The calls queued for one instance (kept for the browser tab's session), run as one OData
// $batch: in order on their own, or as one change set (all or nothing).
function batchPanel(name) {
  const storageKey = `odata-broker.batch.${name}`;
  const load = () => { try { return JSON.parse(sessionStorage.getItem(storageKey)) || []; } catch { return []; } };
  let calls = load();
  const save = () => sessionStorage.setItem(storageKey, JSON.stringify(calls));
  const list = h('ol', {class: 'batch-calls'});
  const atomic = h('input', {type: 'checkbox', name: 'changeSet'});
  const outcome = h('div', {'aria-live': 'polite'});
  const heading = h('h3', {}, '');
  const runButton = h('button', {type: 'button', onclick: () => run()}, `Run batch on ${name}`);
  const clearButton = h('button', {type: 'button', class: 'quiet', onclick: () => { calls = []; save(); draw(); outcome.replaceChildren(); }}, 'Clear batch');
  const element = h('section', {class: 'batch', 'aria-label': 'Batch'}, heading, list,
    h('label', {class: 'row'}, atomic, ' As one change set: all calls apply or none does'),
    h('div', {class: 'actions'}, runButton, clearButton), outcome);

  const summary = (call) => {
    const inputs = Object.entries(call.inputs || {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    return `${call.object}.${call.method}${inputs ? ` (${inputs})` : ''}`;
  };
  const draw = () => {
    heading.textContent = `Batch: ${calls.length} call${calls.length === 1 ? '' : 's'} queued`;
    list.replaceChildren(...calls.map((call, index) => h('li', {},
      h('code', {}, `${call.id} `), summary(call), ' ',
      h('button', {type: 'button', class: 'quiet', 'aria-label': `Remove ${call.id} from the batch`,
                   onclick: () => { calls.splice(index, 1); save(); draw(); }}, 'Remove'))));
    runButton.disabled = calls.length === 0;
    clearButton.disabled = calls.length === 0;
    element.hidden = calls.length === 0 && !outcome.hasChildNodes();
  };

  const answerOf = (answer) => h('li', {},
    h('p', {class: answer.error ? 'error' : 'ok'}, `${answer.id ?? '-'}: ${answer.status}`,
      answer.error ? ` ${answer.error.message}` : ''),
    Array.isArray(answer.rows) ? (answer.rows.length ? rowsTable(answer.rows) : h('p', {class: 'muted'}, 'No rows.'))
      : answer.row ? rowsTable([answer.row]) : null);

  const run = async () => {
    const requests = calls.map((call) => ({...call}));
    const body = {requests: atomic.checked ? [{changeSet: requests}] : requests};
    outcome.replaceChildren(h('p', {role: 'status'}, h('progress', {'aria-label': 'Running'}), ' Running the batch…'));
    try {
      const reply = await api('POST', `/instances/${path(name)}/batch`, body);
      const items = [];
      for (const answer of reply.responses) {
        if (Array.isArray(answer.changeSet)) {
          items.push(h('li', {}, h('p', {class: answer.error ? 'error' : 'ok'},
            `Change set: ${answer.status}${answer.error ? ` ${answer.error.message}` : ''}`),
            h('ol', {}, ...answer.changeSet.map(answerOf))));
        } else {
          items.push(answerOf(answer));
        }
      }
      outcome.replaceChildren(h('h4', {}, 'Batch results'), h('ol', {class: 'batch-results'}, ...items));
      // A batch that went through leaves the queue empty; one with a failure keeps it to fix.
      const failed = reply.responses.some((answer) => answer.error);
      if (!failed) calls = [];
      save();
      draw();
      outcome.querySelector('h4').focus?.();
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  };

  draw();
  return {
    element,
    add(call) {
      const used = new Set(calls.map((c) => c.id));
      let n = calls.length + 1;
      while (used.has(`c${n}`)) n += 1;
      calls.push({id: `c${n}`, ...call});
      save();
      draw();
    },
  };
}

// ---- routing ----

const routes = [
  [/^#?\/?$/, () => showInstances()],
  [/^#\/register$/, () => showForm(null)],
  [/^#\/instances\/([^/]+)\/edit$/, (n) => showForm(n)],
  [/^#\/instances\/([^/]+)\/objects\/(.+)$/, (n, o) => showObject(n, o)],
  [/^#\/instances\/([^/]+)$/, (n) => showInstance(n)],
];

async function render() {
  const hash = location.hash || '#/';
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    try {
      await view(...match.slice(1).map(decodeURIComponent));
    } catch (error) {
      show(h('h1', {}, 'Something went wrong'), errorBox(error),
           error.status === 401 ? h('p', {}, 'Enter an API key (top right) and try again.') : null);
    }
    // The new page's heading takes the focus, unless the page gave it to a field.
    if (!main.contains(document.activeElement) || document.activeElement === main) {
      focusNew(main.querySelector('h1') || main);
    }
    return;
  }
  show(h('h1', {}, 'Not found'), h('p', {}, h('a', {href: '#/'}, 'Back to the instances')));
}

window.addEventListener('hashchange', render);
render();
