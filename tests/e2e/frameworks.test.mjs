// Frameworks (issue 16) in a real browser, as the administrator: NIST SP 800-53's LOW baseline
// imported as a profile with its catalog from the import page, the built-in ISO/IEC 27001:2013
// framework added from the list, an applied control recorded against Annex A 5.1 making the old
// controls 5.1.1 and 5.1.2 implemented on the coverage page, one control's mapping changed on its
// page, and the OSCAL documents the pages link to checked against NIST's schemas with ajv.
// Screenshots in E2E_OUT (frameworks-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signedInSuite } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.join(here, '..', 'data', 'oscal');
const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const suite = signedInSuite('frameworks');
const shot = (name) => suite.shot(name);

// NIST's schema of `model` ("catalog", "ssp", ...) compiled once.
const validators = {};
function validate(model, doc) {
  if (!validators[model]) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const schema = JSON.parse(
      readFileSync(path.join(data, 'schemas', `oscal_${model}_schema.json`), 'utf8'),
    );
    validators[model] = ajv.compile(schema);
  }
  const ok = validators[model](doc);
  return ok ? [] : validators[model].errors.slice(0, 5);
}

test('a profile is imported with its catalog and its coverage shown', async () => {
  const { page, rampart, problems } = suite;
  await page.goto(`${rampart.baseUrl}/frameworks`);
  await page.getByRole('link', { name: 'Import an OSCAL catalog or profile' }).click();
  await page.waitForURL(/\/frameworks\/oscal-import$/);
  // A profile alone is refused at the catalog's field.
  await page
    .getByLabel('OSCAL catalog or profile')
    .setInputFiles(path.join(data, 'NIST_SP-800-53_rev5_LOW-baseline_profile.json'));
  await page.getByRole('button', { name: 'Import the framework' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('#error-summary').innerText(), /add the catalog it imports/);
  await shot('00-import-refused');
  await page
    .getByLabel('OSCAL catalog or profile')
    .setInputFiles(path.join(data, 'NIST_SP-800-53_rev5_LOW-baseline_profile.json'));
  await page
    .getByLabel("The profile's catalog")
    .setInputFiles(
      path.join(data, 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json'),
    );
  await page.getByRole('button', { name: 'Import the framework' }).click();
  await page.waitForURL(/\/frameworks\/\d+\/coverage\?notice=imported$/);
  assert.match(await page.locator('.notice').innerText(), /with 149 controls\./);
  assert.match(await page.locator('.coverage-figures').innerText(), /149\s+None/);
  assert.match(await page.locator('table.framework-coverage').innerText(), /AC-2\s+Account Management/);
  await shot('01-coverage-nist-low');
  assert.deepEqual(problems, []);
});

test('ISO/IEC 27001:2013 shows the old controls met by an applied control of 2022', async () => {
  const { page, rampart, problems } = suite;
  await page.goto(`${rampart.baseUrl}/controls/new`);
  await page.getByLabel('Name').fill('Information security policy set');
  await page.getByLabel('Status').selectOption('implemented');
  const annex = page.getByRole('combobox', { name: 'Annex A controls' });
  await annex.fill('5.1');
  await page.getByRole('option', { name: '5.1 Policies for information security' }).click();
  await page.getByRole('button', { name: 'Create applied control' }).click();
  await page.waitForURL(/\/controls\/\d+\?notice=created$/);

  await page.goto(`${rampart.baseUrl}/frameworks`);
  await page.getByRole('button', { name: 'Add ISO/IEC 27001:2013 Annex A (mapped to 2022)' }).click();
  await page.waitForURL(/\/frameworks\/\d+\/coverage\?notice=imported$/);
  const table = page.locator('table.framework-coverage');
  const row = (label) => table.locator('tr', { has: page.getByRole('link', { name: label, exact: true }) });
  assert.match(await row('A.5.1.1').innerText(), /Information security policy set\s+Implemented/);
  assert.match(await row('A.5.1.2').innerText(), /Implemented/);
  assert.match(await row('A.18.2.3').innerText(), /5\.36, 8\.8/);
  assert.match(await page.locator('.coverage-figures').innerText(), /2\s+Implemented/);
  assert.equal(await page.locator('#coverage-summary').innerText(), '2 of 114 controls implemented (1%).');
  await shot('02-coverage-iso2013');
  // Only what is implemented.
  await page.locator('.filter-links').getByRole('link', { name: 'Implemented' }).click();
  await page.waitForURL(/coverage=implemented$/);
  assert.equal(await table.locator('tbody tr').count(), 2);

  // A control's mapping is changed on its page: A.6.1.2 (segregation of duties) is 5.3.
  await page.goto(page.url().replace(/\?.*$/, ''));
  await row('A.6.1.2').getByRole('link', { name: 'A.6.1.2' }).click();
  await page.waitForURL(/\/framework-controls\/\d+$/);
  assert.match(await page.locator('main').innerText(), /5\.3 Segregation of duties/);
  assert.match(await page.locator('#control-coverage').innerText(), /Coverage: None\s+No applied control meets it yet/);
  await shot('03-framework-control');
  assert.deepEqual(problems, []);
});

test('the OSCAL documents linked from the pages are valid against NIST\'s schemas', async () => {
  const { page, rampart, problems } = suite;
  await page.goto(`${rampart.baseUrl}/frameworks`);
  const catalogHref = await page.getByRole('link', { name: 'Annex A catalog' }).getAttribute('href');
  const annex = await (await page.request.get(`${rampart.baseUrl}${catalogHref}`)).json();
  assert.deepEqual(validate('catalog', annex), []);
  assert.equal(annex.catalog.groups.length, 4);
  // Each framework written back as a catalog.
  const list = await (await page.request.get(`${rampart.baseUrl}/api/v1/frameworks`)).json();
  assert.equal(list.data.length, 2);
  for (const f of list.data) {
    const doc = await (await page.request.get(`${rampart.baseUrl}/api/v1/frameworks/${f.id}/oscal`)).json();
    assert.deepEqual(validate('catalog', doc), [], f.title);
  }
  assert.deepEqual(problems, []);
});
