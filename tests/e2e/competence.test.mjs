// Clause 7.2 in a real browser: a competence requirement of an ISMS role, the competence matrix
// showing the role's holder's gap, "Plan" turning the gap into a planned competence record, and
// the record completed. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('competence');
const shot = (name) => suite.shot(name);

async function api(method, path, data) {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/`);
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const res = await page.request.fetch(`${rampart.baseUrl}${path}`, {
    method,
    headers: { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl },
    data,
  });
  assert.ok(res.ok(), await res.text());
  return res.json();
}

test('the navigation lists competence and its matrix under clause 7, Support', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/`);
  const group = page.locator('.nav-group', { has: page.locator('.nav-heading', { hasText: 'Support' }) });
  await group.getByRole('link', { name: /Competence requirements/ }).waitFor();
  await group.getByRole('link', { name: /Competence matrix/ }).click();
  await page.waitForURL(/\/competence-matrix$/);
  assert.equal(await page.locator('h1').innerText(), 'Competence matrix');
  assert.match(await page.locator('main').innerText(), /No competence to measure yet/);
  await shot('01-matrix-empty');
});

test('a role holder\'s gap is planned from the matrix, then completed', async () => {
  const { page, rampart } = suite;
  const me = await api('GET', '/api/v1/auth/me');
  await api('POST', '/api/v1/isms-roles', {
    name: 'Information security manager',
    responsibilities: 'Runs the ISMS and reports on its performance.',
    holders: [{ person: me.user_id, since: '2026-01-01' }],
  });

  await page.goto(`${rampart.baseUrl}/competence-requirements/new`);
  const role = page.getByRole('combobox', { name: 'ISMS role' });
  await role.fill('security');
  await page.getByRole('option', { name: /Information security manager/ }).click();
  await page.getByLabel('Skill or qualification').fill('Information security risk assessment');
  await page.getByLabel('Level').selectOption('expert');
  await page.getByLabel('Demonstrated by').selectOption('certification');
  await page.getByLabel('How it is demonstrated').fill('A risk management certificate, renewed.');
  await page.getByLabel('Valid for (months)').fill('36');
  await page.getByRole('button', { name: 'Create competence requirement' }).click();
  await page.waitForURL(/\/competence-requirements\/\d+\?notice=created$/);
  await shot('02-requirement');

  await page.goto(`${rampart.baseUrl}/competence-matrix`);
  assert.match(await page.locator('.table-meta').innerText(), /^1 gap/);
  const cell = page.locator('td.competence-cell').first();
  assert.match(await cell.innerText(), /Missing/);
  await shot('03-matrix-gap');

  await cell.getByRole('link', { name: /^Plan / }).click();
  await page.waitForURL(/\/competence-records\/new\?/);
  assert.equal(await page.getByLabel('Status').inputValue(), 'planned');
  assert.equal(await page.getByLabel('Kind').inputValue(), 'certification');
  assert.equal(await page.getByLabel('Title').inputValue(), 'Information security risk assessment');
  await page.getByLabel('Provider').fill('Example Academy');
  await page.getByRole('button', { name: 'Create competence record' }).click();
  await page.locator('#due-error').waitFor();
  assert.equal(await page.locator('#due-error').innerText(), 'say by when the planned competence is due');
  await shot('04-plan-needs-due');
  await page.getByLabel('Due by').fill('2027-03-31');
  await page.getByRole('button', { name: 'Create competence record' }).click();
  await page.waitForURL(/\/competence-records\/\d+\?notice=created$/);
  await shot('05-planned-record');

  await page.goto(`${rampart.baseUrl}/competence-matrix`);
  assert.match(await page.locator('td.competence-cell').first().innerText(), /Planned\s+due 2027-03-31/);
  await shot('06-matrix-planned');

  await page.locator('td.competence-cell').first().getByRole('link', { name: /due/ }).click();
  await page.getByRole('link', { name: 'Edit' }).first().click();
  await page.getByLabel('Status').selectOption('completed');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.locator('#date_achieved-error').waitFor();
  assert.equal(await page.locator('#date_achieved-error').innerText(), 'say when the competence was achieved');
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Date achieved').fill(today);
  await page.getByRole('button', { name: /Save/ }).click();
  await page.waitForURL(/\/competence-records\/\d+(\?notice=\w+)?$/);
  assert.match(await page.locator('main').innerText(), /Completed/);

  await page.goto(`${rampart.baseUrl}/competence-matrix`);
  assert.match(await page.locator('.table-meta').innerText(), /^0 gaps · 1 met/);
  assert.match(await page.locator('td.competence-cell').first().innerText(), /Met\s+until/);
  await shot('07-matrix-met');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
