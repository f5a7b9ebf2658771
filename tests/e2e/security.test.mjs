// Hardening of issue 11 in a real browser: the confirm page asks for the password again before an
// account change and returns to where it was asked from (a wrong password is refused at its
// field); an administrator who adds a user name taken in another organisation makes an
// invitation, learns nothing of the account, and its holder accepts it on their account page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startRampart, launchBrowser, openPage, firstSignIn, memberFirstSignIn, outDir,
} from './harness.mjs';

let rampart;
let browser;
const problems = [];
const adminPassword = 'the chief officer passphrase';
const ginaPassword = 'a quite long passphrase of her own';

const url = (p) => `${rampart.baseUrl}${p}`;
const shot = (page, name) =>
  page.screenshot({ path: path.join(outDir, `security-${name}.png`), fullPage: true });

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
  assert.deepEqual(problems.flat(), []);
});

test('the confirm page asks for the password again and returns to the page that asked', async () => {
  const { page, problems: p } = await openPage(browser);
  problems.push(p);
  await firstSignIn(page, rampart, adminPassword);
  await page.goto(url('/account/confirm?next=/account/tokens'));
  await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
  await shot(page, '01-confirm');

  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Confirm' }).click();
  const error = page.locator('#password-error');
  await error.waitFor();
  assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  await shot(page, '02-confirm-wrong');

  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/\/account\/tokens$/);

  // next= never leads off the site.
  await page.goto(url('/account/confirm?next=/%5C/evil.example'));
  assert.equal(await page.locator('input[name="next"]').getAttribute('value'), '/');
  await page.context().close();
});

test('a user name taken elsewhere becomes an invitation its holder accepts', async () => {
  rampart.cli('org', 'add', '--name', 'Globex');
  const added = rampart.cli('user', 'add', '--username', 'gina', '--role', 'viewer',
    '--org', 'Globex', '--display-name', 'Gina Globex');
  const ginaOtp = added.trim().split('\n').pop().trim();

  // Gina's first sign-in, in her own organisation.
  const { page: gina, problems: gp } =
    await memberFirstSignIn(browser, rampart.baseUrl, 'gina', ginaOtp, ginaPassword);
  problems.push(gp);
  await gina.waitForURL(/\/\?notice=password$/);

  // Acme's administrator adds "gina": an invitation, without her display name or anything else.
  const { page: admin, problems: ap } = await openPage(browser);
  problems.push(ap);
  await admin.goto(url('/signin'));
  await admin.getByLabel('User name').fill(rampart.username);
  await admin.getByLabel('Password').fill(adminPassword);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.waitForURL(/\/$/);
  await admin.goto(url('/admin/users'));
  await admin.getByLabel('User name').fill('gina');
  await admin.getByLabel('Role').selectOption('viewer');
  await admin.getByRole('button', { name: 'Add person' }).click();
  await admin.getByText(/is taken, so an invitation/).waitFor();
  const adminView = await admin.content();
  assert.ok(!adminView.includes('Gina Globex'), 'the inviting administrator saw her display name');
  assert.ok(!adminView.includes('Globex'), 'the inviting administrator saw her organisation');
  await shot(admin, '03-invited');

  // Gina sees it on her home page and accepts it on her account page.
  await gina.goto(url('/'));
  await gina.getByText('Acme Ltd invites you to join.').waitFor();
  await shot(gina, '04-home-callout');
  await gina.getByRole('link', { name: 'Accept or decline on your account page' }).click();
  await gina.waitForURL(/\/account$/);
  await shot(gina, '05-account-invitation');
  await gina.getByRole('button', { name: 'Accept the invitation of Acme Ltd' }).click();
  await gina.waitForURL(/\/account/);
  assert.equal(await gina.getByRole('button', { name: /Accept the invitation/ }).count(), 0);
  assert.match(await gina.locator('#org-switch').innerText(), /Acme Ltd/);

  // Now a member of Acme: on its People page.
  await admin.goto(url('/admin/users'));
  assert.match(await admin.locator('table').innerText(), /gina/);
  await admin.context().close();
  await gina.context().close();
});
