// A tiny OData V4 service on @sap/odata-server for the broker's link tests: Departments and
// Employees, 1:M (Department/Employees) and M:M (Consultants/ConsultsFor), in memory. The
// library parses and validates every request itself, `$ref` bodies included; this file only
// keeps the data. Listens on HOST:PORT (PORT 0: a free port) and writes its address to
// LINKS_READY_FILE when it listens. GET /__peer/requests returns the requests received
// (method, url, headers, body); DELETE returns them and forgets them.
'use strict';

const fs = require('fs');
const http = require('http');
const {Readable} = require('stream');
const odata = require('@sap/odata-server');

const model = require('./model.json');

const departments = new Map([
  [1, {ID: 1, Name: 'Research'}],
  [2, {ID: 2, Name: 'Sales'}],
]);
const employees = new Map([
  [1, {ID: 1, Name: 'Ada', department: 1}],
  [2, {ID: 2, Name: 'Grace', department: 1}],
  [3, {ID: 3, Name: 'Edsger', department: null}],
]);
const consulting = new Set(['1:3']);  // "departmentID:employeeID"

const tables = {Departments: departments, Employees: employees};

function plain(setName, row) {
  return {ID: row.ID, Name: row.Name};
}

function keyOf(segment) {
  const predicate = segment.getKeyPredicates()[0];
  return Number(predicate.getText());
}

function find(setName, key) {
  const row = tables[setName].get(key);
  if (!row) {
    const error = new Error(`${setName}(${key}) does not exist`);
    error.statusCode = 404;  // used below
    throw error;
  }
  return row;
}

// The related rows of a navigation from one row.
function related(setName, row, navigation) {
  switch (`${setName}/${navigation}`) {
    case 'Departments/Employees':
      return [...employees.values()].filter((e) => e.department === row.ID);
    case 'Departments/Consultants':
      return [...employees.values()].filter((e) => consulting.has(`${row.ID}:${e.ID}`));
    case 'Employees/Department':
      return row.department === null ? [] : [departments.get(row.department)];
    case 'Employees/ConsultsFor':
      return [...departments.values()].filter((d) => consulting.has(`${d.ID}:${row.ID}`));
    default:
      throw new Error(`no navigation ${setName}/${navigation}`);
  }
}

function link(setName, row, navigation, otherID, add) {
  switch (`${setName}/${navigation}`) {
    case 'Departments/Employees':
      find('Employees', otherID).department = add ? row.ID : null;
      return;
    case 'Employees/Department':
      row.department = add ? find('Departments', otherID).ID : null;
      return;
    case 'Departments/Consultants':
      find('Employees', otherID);
      add ? consulting.add(`${row.ID}:${otherID}`) : consulting.delete(`${row.ID}:${otherID}`);
      return;
    case 'Employees/ConsultsFor':
      find('Departments', otherID);
      add ? consulting.add(`${otherID}:${row.ID}`) : consulting.delete(`${otherID}:${row.ID}`);
      return;
    default:
      throw new Error(`no navigation ${setName}/${navigation}`);
  }
}

// Walks the resource path: the set, the row and (after a navigation) the rows it reaches.
function resolve(request) {
  const segments = request.getUriInfo().getPathSegments();
  let setName = segments[0].getEntitySet().getName();
  let rows = [...tables[setName].values()];
  let single = false;
  let navigation = null;
  let owner = null;
  for (const segment of segments) {
    const kind = segment.getKind();
    if (kind === 'NAVIGATION.TO.MANY' || kind === 'NAVIGATION.TO.ONE') {
      owner = {setName, row: rows[0]};
      navigation = segment.getNavigationProperty().getName();
      rows = related(setName, rows[0], navigation);
      setName = segment.getTarget ? setName : setName;
      setName = (setName === 'Departments') ? 'Employees' : 'Departments';
      single = kind === 'NAVIGATION.TO.ONE';
    }
    if (segment.getKeyPredicates && segment.getKeyPredicates().length > 0) {
      const key = keyOf(segment);
      rows = rows.filter((r) => r.ID === key);
      if (rows.length === 0) {
        const error = new Error(`${setName}(${key}) does not exist`);
        error.statusCode = 404;
        throw error;
      }
      single = true;
    }
  }
  return {setName, rows, single, navigation, owner};
}

function fail(next, error) {
  const {NotFoundError, ConflictError} = odata.Errors || {};
  if (error.statusCode === 404 && NotFoundError) return next(new NotFoundError(error.message));
  if (error.statusCode === 409 && ConflictError) return next(new ConflictError(error.message));
  return next(error);
}

// A change set ($batch atomicity group) applies whole or not at all: the data as it was when
// the group started is put back when one of its requests failed.
function snapshot() {
  return {
    departments: [...departments].map(([k, v]) => [k, {...v}]),
    employees: [...employees].map(([k, v]) => [k, {...v}]),
    consulting: [...consulting],
  };
}

function restore(saved) {
  departments.clear();
  for (const [k, v] of saved.departments) departments.set(k, v);
  employees.clear();
  for (const [k, v] of saved.employees) employees.set(k, v);
  consulting.clear();
  for (const pair of saved.consulting) consulting.add(pair);
}

const groups = new Map();  // atomicity group id → data before it

const log = [];

const service = odata.ServiceFactory.createService(model)
  .setBasePath('/links/')
  .on('atomicity-group-start', (context, done) => {
    groups.set(context.id, snapshot());
    done();
  })
  .on('atomicity-group-end', (error, context, done) => {
    const saved = groups.get(context.id);
    groups.delete(context.id);
    if (error || (context.failedRequests && context.failedRequests.length > 0)) restore(saved);
    done();
  })
  .on('READ', (request, response, next) => {
    try {
      const {setName, rows, single} = resolve(request);
      const values = rows.map((row) => plain(setName, row));
      if (single) {
        if (values.length === 0) return next(null, {value: null});
        return next(null, {value: values[0]});
      }
      return next(null, {value: values});
    } catch (error) {
      return fail(next, error);
    }
  })
  .on('CREATE', (request, response, next) => {
    try {
      const uriInfo = request.getUriInfo();
      if (uriInfo.getLastSegment().getKind() === 'REF.COLLECTION' ||
          uriInfo.getLastSegment().getKind() === 'REF') {
        const {owner, navigation} = resolve(request);
        const target = request.getBody();  // the @odata.id, parsed and checked by the library
        const targetID = keyOf(target.getPathSegments()[0]);
        link(owner.setName, owner.row, navigation, targetID, true);
        return next(null, {value: null});
      }
      const setName = uriInfo.getPathSegments()[0].getEntitySet().getName();
      const body = request.getBody();
      if (tables[setName].has(body.ID)) {
        const error = new Error(`${setName}(${body.ID}) exists already`);
        error.statusCode = 409;
        throw error;
      }
      const row = {ID: body.ID, Name: body.Name ?? null};
      if (setName === 'Employees') row.department = null;
      tables[setName].set(row.ID, row);
      return next(null, {value: plain(setName, row)});
    } catch (error) {
      return fail(next, error);
    }
  })
  .on('UPDATE', (request, response, next) => {
    try {
      const {setName, rows} = resolve(request);
      const body = request.getBody();
      if (body.Name !== undefined) rows[0].Name = body.Name;
      return next(null, {value: plain(setName, rows[0])});
    } catch (error) {
      return fail(next, error);
    }
  })
  .on('DELETE', (request, response, next) => {
    try {
      const uriInfo = request.getUriInfo();
      const kind = uriInfo.getLastSegment().getKind();
      if (kind === 'REF' || kind === 'REF.COLLECTION') {
        const {owner, navigation, rows} = resolve(request);
        link(owner.setName, owner.row, navigation, rows[0].ID, false);
        return next();
      }
      const {setName, rows} = resolve(request);
      tables[setName].delete(rows[0].ID);
      return next();
    } catch (error) {
      return fail(next, error);
    }
  });

// The body is read first (for the log) and handed to the library as a stream of its own.
const server = http.createServer((req, res) => {
  if (req.url === '/__peer/requests') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(req.method === 'DELETE' ? log.splice(0) : log));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    log.push({method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8')});
    const replay = Readable.from(body.length > 0 ? [body] : []);
    Object.assign(replay, {
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      method: req.method,
      url: req.url,
      httpVersion: req.httpVersion,
      socket: req.socket,
      connection: req.socket,
    });
    service.process(replay, res);
  });
});

server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1', () => {
  const {address, port} = server.address();
  const origin = `http://${address}:${port}`;
  if (process.env.LINKS_READY_FILE) fs.writeFileSync(process.env.LINKS_READY_FILE, origin + '\n');
  else console.log(`links service at ${origin}/links/`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
