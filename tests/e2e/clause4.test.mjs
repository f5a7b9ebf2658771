// Clause 4 in a real browser: first sign-in with the one-time password, the forced password
// change, a context issue added through the form and seen in the SWOT view, a field error for a
// bad submission, the ISMS scope approved, and sign-out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
const newPassword = 'a long and private passphrase';

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });

test('signs in with the one-time password and must change it first', async () => {
  await page.goto(`${rampart.baseUrl}/context-issues`);
  assert.match(page.url(), /\/signin\?next=/);
  await page.getByLabel('User name').fill(rampart.username);
  await page.getByLabel('Password').fill(rampart.otp);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account\/password$/);
  await shot('01-change-password');
  // Nothing else is reachable before the change.
  await page.goto(`${rampart.baseUrl}/interested-parties`);
  assert.match(page.url(), /\/account\/password$/);

  await page.getByLabel('Current password').fill(rampart.otp);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await page.locator('.field-error').first().innerText(), /at least 8 characters/);

  await page.getByLabel('Current password').fill(rampart.otp);
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL(/\/\?notice=password$/);
  assert.match(await page.getByRole('status').innerText(), /password has been changed/);
  await shot('02-overview');
});

test('adds a context issue through the form and sees it in the SWOT view', async () => {
  await page.goto(`${rampart.baseUrl}/context-issues`);
  await page.getByRole('link', { name: 'New context issue' }).first().click();
  await page.getByLabel('Title').fill('Ransomware targeting our sector');
  await page.getByLabel('Internal or external').selectOption('external');
  await page.getByLabel('SWOT quadrant').selectOption('threat');
  await page.getByLabel('PESTLE category').selectOption('technological');
  await page.getByLabel('Climate-change consideration').check();
  await page.getByLabel('Effect on the ISMS').fill('Raises the likelihood of availability incidents.');
  await page.getByRole('button', { name: 'Create context issue' }).click();
  await page.waitForURL(/\/context-issues\/\d+\?notice=created$/);
  assert.equal(await page.locator('h1').innerText(), 'Ransomware targeting our sector');
  assert.match(await page.locator('.history').innerText(), /created/);
  await shot('03-context-issue');

  await page.getByRole('link', { name: 'SWOT analysis' }).click();
  await page.waitForURL(/\/context-issues\/swot$/);
  const threats = page.locator('section.swot-threat');
  assert.match(await threats.innerText(), /Ransomware targeting our sector/);
  assert.doesNotMatch(await page.locator('section.swot-strength').innerText(), /Ransomware/);
  await shot('04-swot');

  await page.goto(`${rampart.baseUrl}/context-issues`);
  const row = page.getByRole('row', { name: /Ransomware targeting our sector/ });
  assert.match(await row.innerText(), /External/);
});

test('shows field errors for a bad submission and keeps what was typed', async () => {
  await page.goto(`${rampart.baseUrl}/context-issues/new`);
  await page.getByLabel('Internal or external').selectOption('internal');
  await page.getByLabel('SWOT quadrant').selectOption('threat');
  await page.getByLabel('Description').fill('Text that must survive the error');
  await page.getByRole('button', { name: 'Create context issue' }).click();
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Title is required/);
  assert.equal(await page.locator('#title-error').innerText(), 'Title is required');
  assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Description').inputValue(), 'Text that must survive the error');
  await shot('05-field-error');

  await page.getByLabel('Title').fill('Insider threat');
  await page.getByRole('button', { name: 'Create context issue' }).click();
  await page.locator('#swot-error').waitFor();
  assert.match(await page.locator('#swot-error').innerText(), /internal issue is a strength or a weakness/);
});

test('drafts and approves the ISMS scope, then revises it', async () => {
  await page.goto(`${rampart.baseUrl}/scope/new`);
  await page.getByLabel('Title').fill('ISMS scope 2026');
  await page.getByLabel('Scope statement').fill('The Acme platform: design, development and operation.');
  await page.getByLabel('Organisational units').fill('Engineering\nOperations');
  await page.getByLabel('Locations').fill('London office');
  await page.locator('[name="exclusions[0][item]"]').fill('Office canteen');
  await page.locator('[name="exclusions[0][justification]"]').fill('Handles no information of the ISMS.');
  await page.getByRole('button', { name: 'Create scope statement' }).click();
  await page.waitForURL(/\/scope\/\d+\?notice=created$/);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/notice=approved/);
  assert.match(await page.locator('.callout').first().innerText(), /current ISMS scope/);
  await shot('06-scope-approved');

  await page.getByRole('button', { name: 'New draft from this version' }).click();
  await page.waitForURL(/\/scope\/\d+\/edit$/);
  assert.equal(await page.getByLabel('Locations').inputValue(), 'London office\n');
  await page.getByLabel('Locations').fill('London office\nManchester office');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved/);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/notice=approved/);
  assert.match(await page.locator('h1').innerText(), /^Version 2/);

  await page.goto(`${rampart.baseUrl}/scope`);
  assert.match(await page.locator('.callout').innerText(), /version 2/);
  assert.match(await page.getByRole('row', { name: /Version|ISMS scope 2026/ }).first().innerText(), /./);
  assert.match(await page.locator('table').innerText(), /Superseded/);
});

test('signs out, and the browser saw no CSP violation or script error', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin$/);
  await page.goto(`${rampart.baseUrl}/`);
  assert.match(page.url(), /\/signin/);
  assert.deepEqual(problems, []);
});
