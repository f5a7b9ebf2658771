// Clause 9.3 in a real browser, closing the loop of clauses 9.2 and 10.2: an internal audit finds
// a minor nonconformity, its corrective action is done, its effectiveness verified and it is
// closed (through the API, as the other suites take those steps through the forms); then a
// management review is planned through the form, shows the audit, the finding and the closed
// nonconformity in the inputs Rampart wrote, is held with the chief executive attending (its
// inputs frozen), commented on, its decision followed up as a task, its minutes approved and
// printed. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('management-review');
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let reviewPath = '';
let ncId = 0;

// A JSON request in the signed-in session (CSRF token and Origin as the pages send them).
async function api(method, path, data, version) {
  const { page } = suite;
  if (!page.url().startsWith(suite.rampart.baseUrl)) await page.goto(url('/my'));
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  const headers = { 'X-CSRF-Token': csrf, Origin: suite.rampart.baseUrl };
  if (version !== undefined) headers['If-Match'] = `"${version}"`;
  const res = await page.request.fetch(url(path), { method, headers, data });
  const body = await res.json().catch(() => ({}));
  assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

test('an internal audit raises a minor nonconformity, corrected and closed', async () => {
  // The chief executive, added on the command line like an operator would.
  const out = suite.rampart.cli('user', 'add', '--username', 'erin', '--role', 'executive',
    '--display-name', 'Erin Executive');
  assert.match(out, /\(id \d+\)/);
  const me = await api('GET', '/api/v1/auth/me');
  const owner = me.user_id;
  const programme = await api('POST', '/api/v1/audit-programmes', {
    title: 'Internal audits 2026–2028', period_start: '2026-01-01', period_end: '2028-12-31',
    objectives: 'Every clause audited once in three years.', owner });
  const audit = await api('POST', '/api/v1/internal-audits', {
    title: 'Access control', programme: programme.id, clauses: ['9.2'],
    criteria: 'ISO/IEC 27001:2022', lead_auditor: owner, planned_start: day(-3),
    planned_end: day(-1), actual_start: day(-3), actual_end: day(-1), status: 'in_progress' });
  await api('PATCH', `/api/v1/internal-audits/${audit.id}`, {
    status: 'reported', summary: 'Leavers keep access.', conclusion: 'Conforming but one minor.' },
  audit.version);
  const finding = await api('POST', '/api/v1/findings', {
    title: 'Leavers keep access', audit: audit.id, type: 'minor_nonconformity',
    requirement: 'A.5.18', description: '3 of 25 leavers still had active accounts.',
    evidence: 'HR leaver list against the directory.', found_on: day(-1), owner });
  ncId = finding.nonconformity;
  assert.ok(ncId > 0);
  let nc = await api('GET', `/api/v1/nonconformities/${ncId}`);
  nc = await api('PATCH', `/api/v1/nonconformities/${ncId}`, {
    status: 'action_planned', reaction: 'The 3 accounts were disabled the same day.',
    root_cause_method: 'five_whys', root_cause: "HR's leaver notice does not reach IT.",
    similar_nonconformities: 'None found.', action_due: day(14), effectiveness_due: day(30),
    effectiveness_reviewer: owner }, nc.version);
  const task = await api('POST', '/api/v1/tasks', {
    title: 'Send leaver notices from HR to IT', owner, due_date: day(7),
    record_type: 'nonconformity', record_id: ncId });
  await api('PATCH', `/api/v1/tasks/${task.id}`, { status: 'done', outcome: 'HR sends IT a ticket.' },
    task.version);
  nc = await api('PATCH', `/api/v1/nonconformities/${ncId}`, { status: 'action_done' }, nc.version);
  nc = await api('PATCH', `/api/v1/nonconformities/${ncId}`, {
    effectiveness: 'effective', effectiveness_reviewed_on: day(0),
    effectiveness_evidence: 'Sample of 20 leavers: all removed within a day.',
    status: 'effectiveness_verified' }, nc.version);
  nc = await api('PATCH', `/api/v1/nonconformities/${ncId}`, { status: 'closed' }, nc.version);
  const { page } = suite;
  await page.goto(url(`/nonconformities/${ncId}`));
  assert.match(await page.locator('main').innerText(), /Closed/);
  await suite.shot('01-nonconformity-closed');
});

test('a management review is planned and its inputs come from the records', async () => {
  const { page } = suite;
  await page.goto(url('/management-reviews/new'));
  await page.locator('#title').fill('Management review 2026');
  await page.locator('#review_date').fill(day(0));
  await page.locator('#chair').selectOption({ label: 'Erin Executive' });
  await page.locator('#attendees-0-attendee').selectOption({ label: 'Erin Executive' });
  await page.locator('#attendees-0-capacity').fill('Chief executive');
  await page.locator('#attendees-1-attendee').selectOption({ index: 1 });
  await page.locator('#attendees-1-capacity').fill('ISMS manager');
  await suite.shot('02-form');
  await page.getByRole('button', { name: 'Create management review' }).click();
  await page.waitForURL(/\/management-reviews\/\d+\?notice=created$/);
  reviewPath = new URL(page.url()).pathname;
  const ncs = await page.locator('#input-nonconformities').innerText();
  assert.match(ncs, /Closed 1/);
  assert.match(ncs, /Leavers keep access — Minor, \d{4}-\d\d-\d\d, Closed/);
  const audits = await page.locator('#input-audits').innerText();
  assert.match(audits, /Access control — Reported/);
  assert.match(audits, /Leavers keep access — Minor nonconformity, A\.5\.18/);
  await page.locator('#input-nonconformities').getByRole('link', { name: 'Leavers keep access' })
    .waitFor();
  await suite.shot('03-draft-inputs');
});

test('held with the chief executive: inputs frozen, commented on, a decision followed up', async () => {
  const { page } = suite;
  await page.goto(url(`${reviewPath}/edit`));
  await page.locator('#status').selectOption('held');
  for (let i = 0; i < 11; i++) {
    await page.locator(`#input_comments-${i}-comment`).fill(`Reviewed: acceptable (${i + 1}).`);
  }
  await page.locator('#minutes').fill('The ISMS remains suitable, adequate and effective.');
  await page.locator('#decisions-0-decision').fill('Automate the removal of leavers');
  await page.locator('#decisions-0-kind').selectOption('task');
  await page.locator('#decisions-0-owner').selectOption({ index: 1 });
  await page.locator('#decisions-0-due').fill(day(30));
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.match(await page.locator('#review-state').innerText(), /Minutes not approved yet/);
  // A nonconformity raised now is not in the frozen inputs.
  const me = await api('GET', '/api/v1/auth/me');
  await api('POST', '/api/v1/nonconformities', {
    title: 'Raised after the review', source: 'other', grade: 'minor',
    description: 'After the meeting.', requirement: 'A.5.15', detected_on: day(0),
    owner: me.user_id });
  await page.goto(url(`${reviewPath}/edit`));
  await page.locator('#minutes').fill('The ISMS remains suitable, adequate and effective. Noted.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.doesNotMatch(await page.locator('#input-nonconformities').innerText(),
    /Raised after the review/);
  await page.getByRole('button', { name: 'Create a Task for decision 1' }).click();
  await page.waitForURL(/notice=followed-up/);
  const decisions = page.locator('section', { has: page.locator('#decisions') });
  assert.match(await decisions.innerText(), /Automate the removal of leavers[\s\S]*Task: Automate the removal of leavers/);
  await suite.shot('04-held');
});

test('top management approves the minutes, ready to print', async () => {
  const { page } = suite;
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Approve minutes' }).click();
  await page.waitForURL(/notice=minutes-approved$/);
  assert.match(await page.locator('#review-state').innerText(), /Minutes approved by .* on \d{4}-\d\d-\d\d/);
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  await suite.shot('05-approved');
  await page.getByRole('link', { name: 'Print minutes' }).click();
  await page.waitForURL(/\/minutes$/);
  const doc = await page.locator('main').innerText();
  assert.match(doc, /Management review: Management review 2026/);
  assert.match(doc, /Erin Executive, Chief executive \(chair\)/);
  assert.match(doc, /Leavers keep access/);
  assert.match(doc, /Reviewed: acceptable \(4\)\./);
  assert.match(doc, /Minutes approved by/);
  await suite.shot('06-minutes');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
