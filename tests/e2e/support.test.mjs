// Clause 7 in a real browser: the resources of the ISMS, described once and served by the
// register machinery (list, form with its rules, record page, navigation under Support).
// Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('support');
const shot = (name) => suite.shot(name);

test('the navigation lists Resources under clause 7, Support', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/`);
  const group = page.locator('.nav-group', { has: page.locator('.nav-heading', { hasText: 'Support' }) });
  assert.equal(await group.locator('.nav-heading-no').innerText(), '7');
  await group.getByRole('link', { name: /Resources/ }).click();
  await page.waitForURL(/\/resources$/);
  assert.equal(await page.locator('h1').innerText(), 'Resources');
});

test('asks a resource through the form, and grants it only with who and when', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/resources/new`);
  await page.getByLabel('Name').fill('Security analyst');
  await page.getByLabel('Kind').selectOption('people');
  await page.getByLabel('Purpose').fill('Runs the risk assessments and the internal audits.');
  await page.getByLabel('Amount').fill('20');
  await page.getByRole('button', { name: 'Create resource' }).click();
  await page.locator('#unit-error').waitFor();
  assert.equal(await page.locator('#unit-error').innerText(),
    'say what the amount counts: EUR, hours a week, licences');
  assert.equal(await page.getByLabel('Amount').inputValue(), '20');
  await shot('01-unit-error');

  await page.getByLabel('Unit', { exact: true }).fill('hours a week');
  await page.getByRole('button', { name: 'Create resource' }).click();
  await page.waitForURL(/\/resources\/\d+\?notice=created$/);
  assert.equal(await page.locator('h1').innerText(), 'Security analyst');
  assert.match(await page.locator('main').innerText(), /Requested/);
  await shot('02-requested');

  await page.getByRole('link', { name: 'Edit' }).first().click();
  await page.getByLabel('Status').selectOption('granted');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.locator('#granted_by-error').waitFor();
  assert.equal(await page.locator('#granted_by-error').innerText(),
    'name who in top management granted this resource');
  assert.equal(await page.locator('#granted_on-error').innerText(),
    'say when this resource was granted');
  await shot('03-grant-refused');

  await page.locator('select[name="granted_by"]').selectOption({ index: 1 });
  await page.getByLabel('Granted on').fill('2026-11-02');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.waitForURL(/\/resources\/\d+(\?notice=\w+)?$/);
  const details = await page.locator('main').innerText();
  assert.match(details, /Granted/);
  assert.match(details, /2026-11-02/);
  await shot('04-granted');

  await page.goto(`${rampart.baseUrl}/resources?status=granted`);
  const row = page.getByRole('row', { name: /Security analyst/ });
  assert.match(await row.innerText(), /20/);
  assert.match(await row.innerText(), /hours a week/);
  await shot('05-list');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
