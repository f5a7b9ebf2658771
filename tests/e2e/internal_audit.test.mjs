// Clause 9.2 in a real browser: an audit programme and an audit planned through the forms (its
// scope picked as clauses and Annex A controls, its checklist as rows), a minor nonconformity
// found and raised as a nonconformity linked from the finding, and the programme's coverage
// matrix naming what is left uncovered. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('internal-audit');
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let programmePath = '';
let auditPath = '';

// The Statement of Applicability includes two controls: the rows of the coverage matrix.
async function includeControls() {
  const { page } = suite;
  await page.goto(url('/soa'));
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  for (const control of ['5.15', '8.5']) {
    const res = await page.request.fetch(url(`/api/v1/soa/${control}`), {
      method: 'PUT',
      headers: { 'X-CSRF-Token': csrf, Origin: suite.rampart.baseUrl, 'If-Match': '"0"' },
      data: { applicable: true, reasons: ['risk_treatment'] } });
    assert.equal(res.status(), 200, await res.text());
  }
}

async function pick(name, search, option) {
  const { page } = suite;
  const box = page.getByRole('combobox', { name });
  await box.fill(search);
  await page.getByRole('option', { name: option }).first().click();
  await box.press('Escape');
}

test('an audit programme is recorded over three years', async () => {
  const { page } = suite;
  await includeControls();
  await page.goto(url('/audit-programmes/new'));
  await page.locator('#title').fill('Internal audits 2026–2028');
  await page.getByLabel('Period from').fill('2026-01-01');
  await page.getByLabel('Period to').fill('2028-12-31');
  await page.getByLabel('Objectives').fill('Every clause and applicable control audited once in three years.');
  await page.getByLabel('Owner').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Create audit programme' }).click();
  await page.waitForURL(/\/audit-programmes\/\d+\?notice=created$/);
  programmePath = new URL(page.url()).pathname;
  assert.match(await page.locator('#programme-audits').innerText(), /Audits \(0\)/);
  await suite.shot('01-programme');
});

test('an audit is planned with its scope, auditor and checklist', async () => {
  const { page } = suite;
  await page.getByRole('link', { name: 'Plan an audit' }).click();
  await page.waitForURL(/\/internal-audits\/new\?programme=\d+$/);
  await page.locator('#title').fill('Access control and internal audit');
  await pick('Clauses', '9.2', /^9\.2 Internal audit/);
  await pick('Annex A controls', 'Access control', /^5\.15 Access control/);
  await page.getByLabel('Audit criteria').fill('ISO/IEC 27001:2022 and the access control policy POL-003.');
  await page.getByLabel('Lead auditor').selectOption({ index: 1 });
  await page.getByLabel('Planned start').fill(day(0));
  await page.getByLabel('Planned end').fill(day(2));
  await page.locator('#checklist-0-requirement').fill('A.5.18');
  await page.locator('#checklist-0-question').fill('Are leavers\' accounts removed within a day?');
  await page.locator('#checklist-1-requirement').fill('9.2.2');
  await page.locator('#checklist-1-question').fill('Is the programme\'s coverage reviewed yearly?');
  await suite.shot('02-audit-form');
  await page.getByRole('button', { name: 'Create internal audit' }).click();
  await page.waitForURL(/\/internal-audits\/\d+\?notice=created$/);
  auditPath = new URL(page.url()).pathname;
  assert.match(await page.locator('main').innerText(), /Are leavers' accounts removed within a day\?/);
  assert.match(await page.locator('#audit-findings').innerText(), /Findings \(0\)/);
});

test('the audit runs, the checklist is answered and the report is required', async () => {
  const { page } = suite;
  await page.goto(url(`${auditPath}/edit`));
  await page.getByLabel('Status').selectOption('in_progress');
  await page.getByLabel('Actual start').fill(day(0));
  await page.locator('#checklist-0-result').selectOption('minor_nonconformity');
  await page.locator('#checklist-0-notes').fill('3 of 25 leavers still active.');
  await page.locator('#checklist-1-result').selectOption('conforming');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  await page.goto(url(`${auditPath}/edit`));
  await page.getByLabel('Status').selectOption('reported');
  await page.getByLabel('Actual end').fill(day(1));
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#summary-error').waitFor();
  assert.equal(await page.locator('#summary-error').innerText(),
    'write the report\'s summary before reporting the audit');
  await suite.shot('03-report-required');
});

test('a minor nonconformity finding raises a nonconformity, linked from it', async () => {
  const { page } = suite;
  await page.goto(url(auditPath));
  await page.getByRole('link', { name: 'Record a finding' }).click();
  await page.waitForURL(/\/findings\/new\?audit=\d+$/);
  await page.locator('#title').fill('Leavers keep access');
  await page.getByLabel('Type').selectOption('minor_nonconformity');
  await page.getByLabel('Clause or control').fill('A.5.18');
  await page.getByLabel('Description').fill('3 of 25 leavers sampled still had active accounts.');
  await page.getByLabel('Evidence').fill('HR leaver list Q1 against the directory export.');
  await page.getByLabel('Found on').fill(day(0));
  await page.getByLabel('Auditee (owner)').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Create audit finding' }).click();
  await page.waitForURL(/\/findings\/\d+\?notice=created$/);
  const callout = page.locator('.callout', { hasText: 'raised the nonconformity' });
  assert.match(await callout.innerText(), /This finding raised the nonconformity Leavers keep access/);
  await suite.shot('04-finding');
  await callout.getByRole('link', { name: 'Leavers keep access' }).click();
  await page.waitForURL(/\/nonconformities\/\d+$/);
  const main = await page.locator('main').innerText();
  assert.match(main, /Internal audit finding/);
  assert.match(main, /Minor/);
  assert.match(main, /A\.5\.18/);
  await suite.shot('05-nonconformity');
  await page.goto(url(auditPath));
  assert.match(await page.locator('#audit-findings').innerText(), /Findings \(1\)/);
  const row = page.locator('section', { has: page.locator('#audit-findings') }).locator('tbody tr');
  assert.match(await row.innerText(), /Leavers keep access[\s\S]*Minor nonconformity[\s\S]*A\.5\.18/);
  await suite.shot('06-audit');
});

test('the coverage matrix shows what the programme covers and what it leaves out', async () => {
  const { page } = suite;
  await page.goto(url(programmePath));
  assert.match(await page.locator('#programme-audits').innerText(), /Audits \(1\)/);
  await page.getByRole('link', { name: 'Coverage matrix' }).click();
  await page.waitForURL(/\/audit-programmes\/\d+\/coverage$/);
  const summary = await page.locator('#coverage-summary').innerText();
  assert.match(summary, /1 applicable Annex A control/);
  assert.match(summary, /A\.8\.5/);
  assert.match(summary, /91 Annex A controls are not decided/);
  const covered = page.locator('tbody tr', { hasText: '9.2.1 General' });
  assert.equal(await covered.locator('td.coverage-cell').first().innerText(), '✓');
  const gap = page.locator('tbody tr', { hasText: 'A.8.5 Secure authentication' });
  assert.match(await gap.innerText(), /Not covered/);
  await suite.shot('07-coverage');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
