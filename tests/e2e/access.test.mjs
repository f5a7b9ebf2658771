// Identity and access in a real browser: the administrator adds a viewer (one-time password shown
// once), the viewer changes it and sees the registers without editing controls (and is refused
// a crafted POST); the administrator requires a second factor for viewers, the viewer is sent to
// set one up (TOTP computed here, RFC 6238), signs in with a code, cannot replay it, uses a
// recovery code once, and creates a read-only API token shown once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let admin;
let viewer;
const problems = [];
const adminPassword = 'the chief officer passphrase';
const viewerPassword = 'a viewer with a long passphrase';
let viewerOtp;
let issueId;
let secret;
let lastStep = 0;
let recoveryCodes = [];

// RFC 4648 base32 without padding, as the page shows it (spaces ignored).
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits.
function totp(base32, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(base32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}
const currentStep = () => Math.floor(Date.now() / 1000 / 30);
// A code for a step after the last one used: each step is accepted once, and the server allows
// one step of clock drift, so the next step's code is valid right away.
function freshCode() {
  lastStep = Math.max(lastStep + 1, currentStep());
  return totp(secret, lastStep);
}

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  const a = await openPage(browser);
  const v = await openPage(browser);
  admin = a.page;
  viewer = v.page;
  problems.push(a.problems, v.problems);
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const url = (p) => `${rampart.baseUrl}${p}`;
const shot = (page, name) =>
  page.screenshot({ path: path.join(outDir, `access-${name}.png`), fullPage: true });
const csrfOf = (page) => page.locator('input[name="_csrf"]').first().inputValue();

async function signIn(page, username, password) {
  await page.goto(url('/signin'));
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForURL(/\/signin$/);
}

async function secondStep(page, code) {
  await page.waitForURL(/\/signin\/second-factor/);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

test('the administrator adds a viewer and sees the one-time password once', async () => {
  await firstSignIn(admin, rampart, adminPassword, '/signin');

  await admin.getByRole('link', { name: 'People' }).click();
  await admin.waitForURL(/\/admin\/users$/);
  assert.match(await admin.locator('table').innerText(), /admin/);

  // An external auditor needs an end date: the error is shown at that field, nobody is added.
  await admin.getByLabel('User name').fill('eve');
  await admin.getByLabel('Role').selectOption('external_auditor');
  await admin.getByRole('button', { name: 'Add person' }).click();
  const endError = admin.locator('#expires_on-error');
  await endError.waitFor();
  assert.match(await endError.innerText(), /last day of access/);
  assert.equal(await admin.getByLabel('End of access').getAttribute('aria-invalid'), 'true');
  assert.equal(await admin.getByLabel('User name').inputValue(), 'eve');
  assert.doesNotMatch(await admin.locator('table').innerText(), /eve/);
  await shot(admin, '01-add-person-error');

  await admin.getByLabel('User name').fill('vera');
  await admin.getByLabel('Display name').fill('Vera Viewer');
  await admin.getByLabel('Role').selectOption('viewer');
  await admin.getByRole('button', { name: 'Add person' }).click();
  const otp = admin.locator('#one-time-password');
  await otp.waitFor();
  viewerOtp = (await otp.innerText()).trim();
  assert.ok(viewerOtp.length >= 8, viewerOtp);
  assert.match(await admin.locator('.secret-once').innerText(),
    /works for one sign-in, until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  assert.match(await admin.getByRole('row', { name: /Vera Viewer/ }).innerText(), /Viewer/);
  await shot(admin, '02-person-added');

  // Shown once: not on the next visit.
  await admin.goto(url('/admin/users'));
  assert.equal(await admin.locator('#one-time-password').count(), 0);
  assert.ok(!(await admin.content()).includes(viewerOtp));

  await admin.getByRole('link', { name: 'Vera Viewer' }).click();
  await admin.waitForURL(/\/admin\/users\/\d+$/);
  assert.equal(await admin.locator('h1').innerText(), 'Vera Viewer');
  await shot(admin, '03-member');

  // A record for the viewer to look at.
  const created = await admin.request.post(url('/api/v1/context-issues'), {
    headers: { 'X-CSRF-Token': await csrfOf(admin) },
    data: { title: 'Supplier concentration', kind: 'external', swot: 'threat' },
  });
  assert.equal(created.status(), 201, await created.text());
  issueId = (await created.json()).id;
});

test('the viewer changes the password and sees the registers without editing controls', async () => {
  await signIn(viewer, 'vera', viewerOtp);
  await viewer.waitForURL(/\/account\/password$/);
  await viewer.getByLabel('Current password').fill(viewerOtp);
  await viewer.getByLabel('New password').fill(viewerPassword);
  await viewer.getByRole('button', { name: 'Change password' }).click();
  await viewer.waitForURL(/\/\?notice=password$/);

  const nav = viewer.getByRole('navigation', { name: 'ISMS' });
  assert.equal(await nav.getByRole('link', { name: 'People' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Audit trail' }).count(), 0);

  await viewer.goto(url('/context-issues'));
  assert.match(await viewer.locator('table').innerText(), /Supplier concentration/);
  assert.equal(await viewer.getByRole('link', { name: /^New / }).count(), 0);
  await shot(viewer, '04-viewer-register');

  await viewer.goto(url(`/context-issues/${issueId}`));
  assert.equal(await viewer.locator('h1').innerText(), 'Supplier concentration');
  assert.equal(await viewer.getByRole('link', { name: 'Edit' }).count(), 0);
  assert.equal(await viewer.getByRole('button', { name: 'Delete' }).count(), 0);

  await viewer.goto(url('/context-issues/swot'));
  assert.equal(await viewer.getByRole('link', { name: /^\+ Add/ }).count(), 0);

  // The server refuses what the page does not offer.
  const csrf = await csrfOf(viewer);
  const post = await viewer.request.post(url('/context-issues'), {
    form: { _csrf: csrf, title: 'Sneaky', kind: 'internal', swot: 'weakness' },
    maxRedirects: 0,
  });
  assert.equal(post.status(), 403);
  const del = await viewer.request.post(url(`/context-issues/${issueId}/delete`), {
    form: { _csrf: csrf, version: '1' },
    maxRedirects: 0,
  });
  assert.equal(del.status(), 403);
  const people = await viewer.request.get(url('/admin/users'), { maxRedirects: 0 });
  assert.equal(people.status(), 403);
});

test('the administrator requires a second factor for viewers', async () => {
  await admin.goto(url('/admin/organisation'));
  const box = admin.locator('input[name="second_factor_roles"][value="viewer"]');
  assert.equal(await box.isChecked(), false);
  await box.check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.waitForURL(/\/admin\/organisation\?notice=saved$/);
  assert.equal(await box.isChecked(), true);
  await shot(admin, '05-organisation');
});

test('the viewer is sent to set up a second factor and gets ten recovery codes', async () => {
  await viewer.goto(url('/context-issues'));
  await viewer.waitForURL(/\/account\/second-factor$/);
  assert.match(await viewer.locator('.callout').innerText(), /requires two-step verification/);
  await shot(viewer, '06-second-factor-required');

  await viewer.getByRole('button', { name: 'Set up two-step verification' }).click();
  await viewer.locator('.qr svg').waitFor();
  secret = (await viewer.locator('#totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(viewer, '07-second-factor-enrol');

  // A wrong code: the error at the field, and the same key to try again with.
  const good = totp(secret, currentStep());
  const wrong = String((Number(good) + 500_000) % 1_000_000).padStart(6, '0');
  await viewer.getByLabel('6-digit code').fill(wrong);
  await viewer.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await viewer.locator('#confirm-code-error').waitFor();
  assert.match(await viewer.locator('#confirm-code-error').innerText(), /does not match/);
  assert.equal((await viewer.locator('#totp-secret').innerText()).replace(/\s/g, ''), secret);

  await viewer.getByLabel('6-digit code').fill(freshCode());
  await viewer.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await viewer.locator('#recovery-codes').waitFor();
  recoveryCodes = await viewer.locator('#recovery-codes code').allInnerTexts();
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  await shot(viewer, '08-recovery-codes');

  await viewer.getByRole('link', { name: /continue/ }).click();
  await viewer.waitForURL(url('/'));
  assert.equal(await viewer.locator('h1').innerText(), 'Overview');
});

test('the viewer signs in with a code, cannot replay it, and uses a recovery code once', async () => {
  await signOut(viewer);
  await signIn(viewer, 'vera', viewerPassword);
  await viewer.waitForURL(/\/signin\/second-factor/);
  await shot(viewer, '09-second-step');
  const code = freshCode();
  await secondStep(viewer, code);
  await viewer.waitForURL(url('/'));

  // The same code again, in a fresh sign-in: refused.
  await signOut(viewer);
  await signIn(viewer, 'vera', viewerPassword);
  await secondStep(viewer, code);
  assert.match(await viewer.getByRole('alert').innerText(), /code/i);
  assert.match(viewer.url(), /\/signin\/second-factor/);

  // A recovery code works once.
  await viewer.getByLabel('Authentication code').fill(recoveryCodes[0]);
  await viewer.getByRole('button', { name: 'Verify' }).click();
  await viewer.waitForURL(url('/'));
  await signOut(viewer);
  await signIn(viewer, 'vera', viewerPassword);
  await secondStep(viewer, recoveryCodes[0]);
  assert.match(await viewer.getByRole('alert').innerText(), /code/i);
  await viewer.getByLabel('Authentication code').fill(recoveryCodes[1]);
  await viewer.getByRole('button', { name: 'Verify' }).click();
  await viewer.waitForURL(url('/'));

  await viewer.goto(url('/account/second-factor'));
  assert.equal(await viewer.locator('#recovery-codes-left').innerText(), '8');
  await shot(viewer, '10-second-factor-on');
});

test('the viewer creates a read-only API token, shown once', async () => {
  await viewer.goto(url('/account/tokens'));
  assert.equal(await viewer.getByLabel('Read-only').isChecked(), true);
  await viewer.getByLabel('Name').fill('Nightly export');
  await viewer.getByRole('button', { name: 'Create token' }).click();
  const box = viewer.locator('#new-token');
  await box.waitFor();
  const token = await box.inputValue();
  assert.match(token, /^rpt_/);
  assert.match(await viewer.getByRole('row', { name: /Nightly export/ }).innerText(), /Read-only/);
  await shot(viewer, '11-token-created');

  const read = await viewer.request.get(url('/api/v1/context-issues'), {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(read.status(), 200);

  await viewer.goto(url('/account/tokens'));
  assert.equal(await viewer.locator('#new-token').count(), 0);
  assert.ok(!(await viewer.content()).includes(token));
  assert.match(await viewer.getByRole('row', { name: /Nightly export/ }).innerText(), /Active/);
  await shot(viewer, '12-tokens');
});

test('a member of two organisations switches between them from the sidebar', async () => {
  rampart.cli('org', 'add', '--name', 'Beta Ltd');
  rampart.cli('user', 'add', '--username', 'vera', '--role', 'contributor', '--org', 'Beta Ltd');
  await viewer.goto(url('/context-issues'));
  const switcher = viewer.getByLabel('Organisation', { exact: true });
  assert.equal(await switcher.locator('option:checked').innerText(), 'Acme Ltd');
  await switcher.selectOption({ label: 'Beta Ltd' });
  await shot(viewer, '13-switcher');
  await viewer.getByRole('button', { name: 'Switch' }).click();
  await viewer.waitForURL(/\/\?notice=organisation$/);
  assert.match(await viewer.getByRole('status').innerText(), /now working in Beta Ltd/);

  // A contributor there: may record what they own, so "New" is offered, with them as owner.
  await viewer.goto(url('/context-issues'));
  assert.equal(await viewer.locator('table').count(), 0);
  await viewer.getByRole('link', { name: 'New context issue' }).first().click();
  assert.equal(
    await viewer.getByLabel('Owner').locator('option:checked').innerText(),
    'Vera Viewer',
  );

  await viewer.goto(url('/account'));
  const row = viewer.getByRole('row', { name: /Acme Ltd/ });
  await row.getByRole('button', { name: 'Switch to Acme Ltd' }).click();
  await viewer.waitForURL(/\/\?notice=organisation$/);
  assert.match(await viewer.getByRole('status').innerText(), /now working in Acme Ltd/);
});

test('the account pages show the profile and this session', async () => {
  await viewer.goto(url('/account'));
  assert.match(await viewer.locator('.summary-list').first().innerText(), /vera/);
  await shot(viewer, '14-account');
  // Signed in from a second browser too: listed, and ended by "Sign out everywhere else".
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await signIn(other, 'vera', viewerPassword);
  await secondStep(other, recoveryCodes[2]);
  await other.waitForURL(url('/'));
  await viewer.goto(url('/account/sessions'));
  assert.match(await viewer.locator('table').innerText(), /This session/);
  assert.equal(await viewer.locator('tbody tr').count(), 2);
  await shot(viewer, '15-sessions');
  viewer.once('dialog', (d) => d.accept());
  await viewer.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await viewer.waitForURL(/notice=others/);
  assert.match(await viewer.getByRole('status').innerText(), /1 session ended/);
  assert.equal(await viewer.locator('tbody tr').count(), 1);
  await other.goto(url('/'));
  assert.match(other.url(), /\/signin/);
  await elsewhere.close();

  await admin.goto(url('/admin/users'));
  await admin.getByRole('link', { name: 'Vera Viewer' }).click();
  assert.match(await admin.locator('table').innerText(), /Chrome/);
  await shot(admin, '16-member-sessions');
});

test('the browser saw no CSP violation or script error', () => {
  assert.deepEqual(problems.flat(), []);
});
