// Clause 7.4 in a real browser: a communication planned through the form, flagged overdue on the
// list until its log has a recent entry, added from its page. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('communication');
const shot = (name) => suite.shot(name);

test('a monthly communication is overdue until its log has a recent entry', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/communications/new`);
  await page.getByLabel('Title').fill('Security newsletter');
  await page.getByLabel('On what').fill('Incidents, changes and reminders of the policy.');
  await page.getByLabel('How often').selectOption('once');
  await page.getByLabel('Channel').selectOption('email');
  await page.getByLabel('Audience').fill('All staff');
  await page.getByRole('button', { name: 'Create communication' }).click();
  await page.locator('#date-error').waitFor();
  assert.equal(await page.locator('#date-error').innerText(),
    'say when a communication made once takes place');
  await shot('01-once-needs-date');

  await page.getByLabel('How often').selectOption('monthly');
  await page.getByRole('button', { name: 'Create communication' }).click();
  await page.waitForURL(/\/communications\/\d+\?notice=created$/);
  assert.match(await page.locator('main').innerText(), /Overdue:/);
  assert.match(await page.locator('main').innerText(), /Nothing is logged yet/);
  await shot('02-communication-overdue');

  await page.goto(`${rampart.baseUrl}/communications`);
  const row = page.getByRole('row', { name: /Security newsletter/ });
  assert.match(await row.innerText(), /Overdue/);
  await shot('03-list-overdue');

  await row.getByRole('link', { name: 'Security newsletter' }).click();
  await page.getByRole('link', { name: 'Add to the log' }).click();
  await page.waitForURL(/\/communication-log\/new\?/);
  await page.getByLabel('What was communicated').fill('November issue sent to all staff');
  await page.getByRole('button', { name: 'Create communication log entry' }).click();
  await page.waitForURL(/\/communication-log\/\d+\?notice=created$/);
  await page.getByRole('link', { name: 'Security newsletter' }).first().click();
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /Overdue:/);
  assert.match(main, /November issue sent to all staff/);
  await shot('04-logged');

  await page.goto(`${rampart.baseUrl}/communications`);
  assert.doesNotMatch(await page.getByRole('row', { name: /Security newsletter/ }).innerText(), /Overdue/);
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
