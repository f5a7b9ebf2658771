// The published API document (GET /api/v1/openapi.json of a real `rampart serve`) judged by
// validators that are not Rampart's own: @seriousme/openapi-schema-validator against the
// OpenAPI 3.1 schema, and Ajv against the JSON Schema 2020-12 meta-schema for every schema in it
// (the OpenAPI schema leaves Schema Objects unchecked). tests/api/openapi_test.cc checks what the
// document says; this checks that it is well-formed. With OPENAPI_OUT set, the document fetched
// is also written there (to compare two builds' documents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import { startRampart } from './harness.mjs';

// Signs the first administrator in over the API (changing the one-time password) and returns the
// headers of the session.
async function signIn(rampart) {
  const post = (path, headers, body) =>
    fetch(`${rampart.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const login = await post('/api/v1/auth/login', {}, {
    username: rampart.username,
    password: rampart.otp,
  });
  assert.equal(login.status, 200, await login.clone().text());
  const session = {
    Cookie: login.headers.get('set-cookie').split(';')[0],
    'X-CSRF-Token': (await login.json()).csrf_token,
  };
  const changed = await post('/api/v1/auth/password', session, {
    current_password: rampart.otp,
    new_password: 'validate the published document 1',
  });
  assert.equal(changed.status, 204, await changed.text());
  return session;
}

// Every Schema Object of the document: components, parameters, bodies and responses.
function* schemasOf(node, where = '#') {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* schemasOf(v, `${where}/${i}`);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      const at = `${where}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (k === 'schema' && v && typeof v === 'object') yield [at, v];
      else if (where === '#/components/schemas') yield [at, v];
      else yield* schemasOf(v, at);
    }
  }
}

test('GET /api/v1/openapi.json is a valid OpenAPI 3.1 document', async (t) => {
  const rampart = await startRampart();
  t.after(() => rampart.stop());
  const session = await signIn(rampart);
  const res = await fetch(`${rampart.baseUrl}/api/v1/openapi.json`, { headers: session });
  assert.equal(res.status, 200);
  const doc = await res.json();
  if (process.env.OPENAPI_OUT) writeFileSync(process.env.OPENAPI_OUT, JSON.stringify(doc, null, 2));

  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, '3.1');
  assert.ok(result.valid, `not a valid OpenAPI 3.1 document:\n${JSON.stringify(result.errors, null, 2)}`);
  // Every $ref resolves (resolveRefs throws naming the one that does not).
  validator.resolveRefs();

  const ajv = new Ajv2020({ strict: false });
  const problems = [];
  let checked = 0;
  for (const [where, schema] of schemasOf(doc)) {
    ++checked;
    if (!ajv.validateSchema(schema)) problems.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
  }
  assert.ok(checked > 100, `only ${checked} schemas found`);
  assert.deepEqual(problems, [], 'schemas that are not JSON Schema 2020-12');
});
