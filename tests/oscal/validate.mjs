// Checks OSCAL documents against one of NIST's OSCAL JSON schemas (draft-07) with ajv 8 and
// ajv-formats, both taken from tests/e2e/node_modules (pinned by its package-lock.json; `make test`
// runs `npm ci` there).
//
//   node tests/oscal/validate.mjs [--expect-invalid] SCHEMA DOCUMENT...
//
// Prints one line per document (valid or invalid, with its errors). Exit status: 0 when every
// document is valid — with --expect-invalid, when every document is invalid (the check that the
// validation can fail); 1 otherwise; 2 for a usage error, or a schema or package that cannot be
// loaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const kMaxErrorsShown = 50;

function fail(message) {
  console.error(`validate.mjs: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const expectInvalid = args.includes('--expect-invalid');
const [schemaFile, ...documents] = args.filter((a) => a !== '--expect-invalid');
if (!schemaFile || documents.length === 0) {
  fail('usage: node validate.mjs [--expect-invalid] SCHEMA DOCUMENT...');
}

// ajv and ajv-formats are CommonJS packages of tests/e2e.
const requireE2e = createRequire(fileURLToPath(new URL('../e2e/package.json', import.meta.url)));
let Ajv;
let addFormats;
try {
  Ajv = requireE2e('ajv').default;
  addFormats = requireE2e('ajv-formats').default;
} catch (e) {
  fail(`${e.message}\n(run \`npm ci\` in tests/e2e)`);
}

let validate;
try {
  // OSCAL's patterns use Unicode property escapes (\p{L}): ajv compiles them with the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
} catch (e) {
  fail(`cannot load the schema ${schemaFile}: ${e.message}`);
}

let valid = 0;
for (const file of documents) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  let errors;
  try {
    errors = validate(JSON.parse(text)) ? [] : validate.errors;
  } catch (e) {
    errors = [{ instancePath: '', message: `is not JSON: ${e.message}`, params: {} }];
  }
  if (errors.length === 0) {
    valid += 1;
    console.log(`valid: ${file}`);
    continue;
  }
  console.log(`invalid: ${file} (${errors.length} errors)`);
  for (const e of errors.slice(0, kMaxErrorsShown)) {
    console.log(`  ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
  }
  if (errors.length > kMaxErrorsShown) {
    console.log(`  ... and ${errors.length - kMaxErrorsShown} more`);
  }
}

const invalid = documents.length - valid;
if (expectInvalid) {
  console.log(`${invalid} of ${documents.length} invalid, as expected: ${invalid === documents.length}`);
  process.exit(invalid === documents.length ? 0 : 1);
}
console.log(`${valid} of ${documents.length} valid`);
process.exit(invalid === 0 ? 0 : 1);
