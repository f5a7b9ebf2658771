// Clause 8.1 in a real browser: a supplier created through the form, assessed from its page with
// a certificate that has expired — flagged on its page and the list; an operational activity of
// an applied control whose occurrence is missed — flagged until an occurrence is recorded from
// its page. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('operation');
const shot = (name) => suite.shot(name);

// The day `days` from today (UTC), YYYY-MM-DD.
function day(days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

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

test('a supplier assessed with an expired certificate is flagged', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/suppliers/new`);
  await page.locator('#name').fill('Cloud host');
  await page.getByLabel('Services provided or process outsourced').fill('Hosting of the customer portal.');
  await page.getByLabel('Criticality').selectOption('critical');
  await page.getByLabel('Relationship owner').selectOption({ index: 1 });
  await page.getByLabel('Next review').fill(day(200));
  await page.getByRole('button', { name: 'Create supplier' }).click();
  await page.locator('#security_requirements-error').waitFor();
  assert.match(await page.locator('#security_requirements-error').innerText(),
    /say what the contract requires for security/);
  await shot('01-critical-needs-requirements');

  await page.getByLabel('Security requirements in the contract')
    .fill('Incidents notified within 24 hours; a yearly audit right; data returned at the end.');
  await page.getByRole('button', { name: 'Create supplier' }).click();
  await page.waitForURL(/\/suppliers\/\d+\?notice=created$/);
  assert.match(await page.locator('main').innerText(), /not been assessed yet/);

  await page.getByRole('link', { name: 'Record an assessment' }).click();
  await page.waitForURL(/\/supplier-assessments\/new\?/);
  await page.getByLabel('Title').fill('ISO 27001 certificate check');
  await page.getByLabel('Method').selectOption('certificate_review');
  await page.getByLabel('Result').selectOption('satisfactory');
  await page.locator('#certificate').fill('ISO/IEC 27001:2022, no. 12345');
  await page.getByLabel('Certificate valid until').fill(day(-3));
  await page.getByRole('button', { name: 'Create supplier assessment' }).click();
  await page.waitForURL(/\/supplier-assessments\/\d+\?notice=created$/);
  await page.getByRole('link', { name: 'Cloud host' }).first().click();
  await page.waitForURL(/\/suppliers\/\d+$/);
  const main = await page.locator('main').innerText();
  assert.match(main, new RegExp(`Certificate expired on ${day(-3)}`));
  assert.match(main, /ISO 27001 certificate check/);
  await shot('02-supplier-certificate-expired');

  await page.goto(`${rampart.baseUrl}/suppliers`);
  const row = page.getByRole('row', { name: /Cloud host/ });
  assert.match(await row.innerText(), new RegExp(`Certificate expired on ${day(-3)}`));
  await shot('03-suppliers-flagged');
});

test('an activity whose occurrence is missed is flagged until one is recorded', async () => {
  const { page, rampart } = suite;
  await api('POST', '/api/v1/controls', { name: 'User access management' });
  await page.goto(`${rampart.baseUrl}/operational-activities/new`);
  await page.getByLabel('Title').fill('Quarterly access review');
  const control = page.getByRole('combobox', { name: 'Applied control' });
  await control.fill('access');
  await page.getByRole('option', { name: /User access management/ }).click();
  await page.locator('#owner').selectOption({ index: 1 });
  await page.locator('#every').fill('3');
  await page.getByLabel('Period').selectOption('months');
  await page.getByLabel('Start date').fill(day(-120));
  await page.getByRole('button', { name: 'Create operational activity' }).click();
  await page.waitForURL(/\/operational-activities\/\d+\?notice=created$/);
  assert.match(await page.locator('main').innerText(), /Missed since \d{4}-\d{2}-\d{2}/);
  await shot('04-activity-missed');

  await page.goto(`${rampart.baseUrl}/operational-activities`);
  const row = page.getByRole('row', { name: /Quarterly access review/ });
  assert.match(await row.innerText(), /Missed since/);
  await shot('05-activities-flagged');

  await row.getByRole('link', { name: 'Quarterly access review' }).click();
  await page.getByRole('link', { name: 'Record an occurrence' }).click();
  await page.waitForURL(/\/activity-occurrences\/new\?/);
  await page.getByLabel('What was done').fill('Q4 review of finance system accounts');
  await page.getByLabel('Notes').fill('Two leavers\' accounts removed.');
  await page.getByRole('button', { name: 'Create activity occurrence' }).click();
  await page.waitForURL(/\/activity-occurrences\/\d+\?notice=created$/);
  await shot('06-occurrence');
  await page.getByRole('link', { name: 'Quarterly access review' }).first().click();
  await page.waitForURL(/\/operational-activities\/\d+$/);
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /Missed since/);
  assert.match(main, /Next occurrence expected by/);
  assert.match(main, /Q4 review of finance system accounts/);
  await shot('07-activity-done');

  await page.goto(`${rampart.baseUrl}/operational-activities`);
  assert.doesNotMatch(
    await page.getByRole('row', { name: /Quarterly access review/ }).innerText(), /Missed/);
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
