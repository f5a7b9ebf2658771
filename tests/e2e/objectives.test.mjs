// Clause 6.2 in a real browser: information security objectives, described once and served by the
// register machinery (list, form with its rules and decimal inputs, record page with the progress
// toward the target, the overdue flag, navigation under Planning). Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('objectives');
const shot = (name) => suite.shot(name);

test('the navigation lists Objectives under clause 6, Planning', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/`);
  const group = page.locator('.nav-group', { has: page.locator('.nav-heading', { hasText: 'Planning' }) });
  assert.equal(await group.locator('.nav-heading-no').innerText(), '6');
  await group.getByRole('link', { name: /Objectives/ }).click();
  await page.waitForURL(/\/objectives$/);
  assert.equal(await page.locator('h1').innerText(), 'Objectives');
});

test('sets an objective with a decimal target and follows its progress', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/objectives/new`);
  await page.getByLabel('Title').fill('Phishing reported within an hour');
  await page.getByLabel('Due date').fill('2099-06-30');
  await page.getByLabel('Evaluation method').fill('Monthly report of the mail gateway, read by the ISMS manager.');
  const target = page.getByLabel('Target value');
  assert.equal(await target.getAttribute('type'), 'number');
  assert.equal(await target.getAttribute('step'), 'any');
  await target.fill('95.5');
  await page.getByLabel('Baseline').fill('40');
  await page.getByRole('button', { name: 'Create objective' }).click();
  await page.locator('#unit-error').waitFor();
  assert.equal(await page.locator('#unit-error').innerText(),
    'say what the target counts: %, hours, incidents');
  assert.equal(await page.locator('#direction-error').innerText(),
    'say whether the target is to reach, stay under or keep');
  assert.equal(await page.getByLabel('Target value').inputValue(), '95.5');
  await shot('01-target-refused');

  await page.getByLabel('Unit', { exact: true }).fill('%');
  await page.getByLabel('Direction').selectOption('increase');
  await page.getByLabel('Current value').fill('67.5');
  await page.getByRole('button', { name: 'Create objective' }).click();
  await page.waitForURL(/\/objectives\/\d+\?notice=created$/);
  assert.equal(await page.locator('h1').innerText(), 'Phishing reported within an hour');
  const details = await page.locator('main').innerText();
  assert.match(details, /Planned/);
  assert.match(details, /95\.5/);
  assert.doesNotMatch(details, /95\.50/);
  const progress = page.getByRole('region', { name: 'Progress' });
  assert.equal(await progress.locator('p').innerText(),
    '50 % of the way from baseline 40 to target 95.5 % (current value 67.5 %).');
  assert.equal(await progress.locator('progress').getAttribute('value'), '50');
  await shot('02-progress');
});

test('flags an objective past its due date in the list and on its page', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/objectives/new`);
  await page.getByLabel('Title').fill('Restore test of every backup');
  await page.getByLabel('Due date').fill('2020-01-31');
  await page.getByRole('button', { name: 'Create objective' }).click();
  await page.waitForURL(/\/objectives\/\d+\?notice=created$/);
  assert.match(await page.locator('.fields').innerText(), /2020-01-31\s*Overdue/);
  await shot('03-overdue-page');

  await page.goto(`${rampart.baseUrl}/objectives`);
  const late = page.getByRole('row', { name: /Restore test of every backup/ });
  assert.match(await late.innerText(), /2020-01-31\s*Overdue/);
  const onTime = page.getByRole('row', { name: /Phishing reported within an hour/ });
  assert.doesNotMatch(await onTime.innerText(), /Overdue/);
  assert.match(await onTime.innerText(), /95\.5/);
  await shot('04-list');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
