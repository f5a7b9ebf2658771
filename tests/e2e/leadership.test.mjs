// Clauses 5.1, 5.3 and 6.3 in a real browser: an ISMS role held by a member, a planned change
// whose approval brings the review of the risk it affects forward and logs top management's
// commitment, and the RACI matrix of the standard ISMS processes. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('leadership');
const shot = (name) => suite.shot(name);

test('records an ISMS role held by a member, refusing the holder as deputy', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/isms-roles/new`);
  await page.getByLabel('Name').fill('Information security manager');
  await page.getByLabel('Responsibilities').fill('Runs the ISMS and reports on its performance.');
  await page.getByLabel('Top management').check();
  await page.getByRole('button', { name: '+ Add a row' }).click();
  await page.locator('select[name="holders[0][person]"]').selectOption({ index: 1 });
  await page.locator('input[name="holders[0][since]"]').fill('2026-01-01');
  await page.locator('select[name="deputy"]').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Create ISMS role' }).click();
  await page.locator('#deputy-error').waitFor();
  assert.equal(await page.locator('#deputy-error').innerText(), 'the deputy cannot also hold the role');
  await shot('01-deputy-refused');

  await page.locator('select[name="deputy"]').selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Create ISMS role' }).click();
  await page.waitForURL(/\/isms-roles\/\d+\?notice=created$/);
  assert.equal(await page.locator('h1').innerText(), 'Information security manager');
  assert.match(await page.locator('main').innerText(), /2026-01-01/);
  await shot('02-role');
});

test('approving a planned change brings the affected risk\'s review forward', async () => {
  const { page, rampart } = suite;
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const res = await page.request.post(`${rampart.baseUrl}/api/v1/risks`, {
    headers: { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl },
    data: { title: 'CRM data leak' },
  });
  assert.equal(res.status(), 201, await res.text());
  const risk = await res.json();

  await page.goto(`${rampart.baseUrl}/changes/new`);
  await page.getByLabel('Title').fill('Move the CRM to a SaaS provider');
  await page.getByLabel('Purpose').fill('Retire the on-premises CRM servers.');
  const risks = page.getByRole('combobox', { name: 'Affected risks' });
  await risks.fill('CRM');
  await page.getByRole('option', { name: /CRM data leak/ }).click();
  await page.getByRole('button', { name: 'Create planned change' }).click();
  await page.waitForURL(/\/changes\/\d+\?notice=created$/);
  assert.equal(await page.locator('h1').innerText(), 'Move the CRM to a SaaS provider');

  await page.getByRole('link', { name: 'Edit' }).first().click();
  await page.getByLabel('Status').selectOption('approved');
  await page.locator('select[name="approved_by"]').selectOption({ index: 1 });
  await page.getByLabel('Approved on').fill('2026-11-20');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.locator('#reassess_by-error').waitFor();
  assert.equal(await page.locator('#reassess_by-error').innerText(),
    'say by when the affected risks are reassessed');
  await page.getByLabel('Reassess risks by').fill('2027-01-31');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.waitForURL(/\/changes\/\d+(\?notice=\w+)?$/);
  assert.match(await page.locator('main').innerText(), /Approved/);
  await shot('03-change-approved');

  await page.goto(`${rampart.baseUrl}/risks/${risk.id}`);
  const review = page.locator('.field', { has: page.locator('dt', { hasText: 'Next review' }) });
  assert.match(await review.innerText(), /2027-01-31/);
  assert.match(await page.locator('.history').innerText(), /Next review/);
  await shot('04-risk-review-brought-forward');
});

test('the change\'s approval is in the commitment log, kept as recorded', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/commitments`);
  const row = page.locator('tbody tr', { hasText: 'Move the CRM to a SaaS provider' });
  await row.waitFor();
  assert.match(await row.innerText(), /Change approved/);
  assert.match(await row.innerText(), /2026-11-20/);
  await shot('05-commitment-log');
  await row.getByRole('link').first().click();
  await page.waitForURL(/\/commitments\/\d+$/);
  assert.match(await page.locator('main').innerText(), /Recorded automatically by the approval of/);
  await page.getByRole('link', { name: /Planned change #\d+/ }).waitFor();
  await shot('06-commitment');
});

test('adds the standard ISMS processes, names R and A, and shows the RACI matrix', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/isms-processes`);
  await page.getByRole('button', { name: 'Add the standard ISMS processes' }).click();
  await page.waitForURL(/\/raci\?notice=added$/);
  const audit = page.locator('tbody tr', { hasText: 'Internal audit' });
  assert.match(await audit.innerText(), /No R or A/);
  assert.equal(await page.locator('tbody tr').count(), 9);
  await shot('07-raci-gaps');

  await audit.getByRole('link', { name: 'Internal audit' }).click();
  await page.waitForURL(/\/isms-processes\/\d+$/);
  await page.getByRole('link', { name: 'Edit' }).first().click();
  await page.getByLabel('Status').selectOption('active');
  for (const name of ['Responsible (R)', 'Accountable (A)']) {
    const box = page.getByRole('combobox', { name });
    await box.fill('security');
    await page.getByRole('option', { name: /Information security manager/ }).click();
  }
  await page.getByRole('button', { name: /Save/ }).click();
  await page.waitForURL(/\/isms-processes\/\d+(\?notice=\w+)?$/);

  await page.goto(`${rampart.baseUrl}/raci`);
  const row = page.locator('tbody tr', { hasText: 'Internal audit' });
  assert.equal(await row.locator('td.raci-cell').first().innerText(), 'A/R');
  assert.doesNotMatch(await row.innerText(), /No R|No A/);
  assert.equal(await page.locator('th[scope="col"]', { hasText: 'Information security manager' })
    .count(), 1);
  await shot('08-raci-matrix');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
