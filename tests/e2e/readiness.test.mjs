// Readiness, the guided path and the overview by role (issue 15) in a real browser: a new
// organisation's administrator lands on the overview, sets the organisation up from Getting
// started (the risk method's stage then done), reads /readiness with its blockers, fixes and
// clause trends, looks at yesterday from the audit trail, and `rampart check` exits 1 with
// blockers; then an executive, an external auditor and a staff member each land where their role
// starts. Screenshots in E2E_OUT (readiness-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startRampart, launchBrowser, openPage, firstSignIn, memberFirstSignIn, outDir,
} from './harness.mjs';

let rampart;
let browser;
let admin;
const problems = [];
const otps = {};
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  rampart = await startRampart('Northwind Health');
  browser = await launchBrowser();
  const a = await openPage(browser);
  admin = a.page;
  problems.push(a.problems);
  await firstSignIn(admin, rampart, 'a readiness passphrase nobody guesses');
  for (const [username, role, name, extra] of [
    ['erin', 'executive', 'Erin Executive', []],
    ['xavier', 'external_auditor', 'Xavier Auditor', ['--expires', day(90)]],
    ['sam', 'staff', 'Sam Staff', []],
  ]) {
    const out = rampart.cli('user', 'add', '--username', username, '--role', role,
      '--display-name', name, ...extra);
    otps[username] = /One-time password[^\n]*\n(\S+)/.exec(out)?.[1];
    assert.ok(otps[username], out);
  }
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const url = (p) => `${rampart.baseUrl}${p}`;
const shot = (page, name) =>
  page.screenshot({ path: path.join(outDir, `readiness-${name}.png`), fullPage: true });

async function signInFirstTime(username, landing) {
  const { page, problems: seen } = await memberFirstSignIn(browser, rampart.baseUrl, username,
    otps[username], `a long private passphrase, person ${username.length}`);
  problems.push(seen);
  await page.waitForURL(landing);
  return page;
}

test('a new organisation\'s overview leads to the first things to do', async () => {
  await admin.goto(url('/'));
  assert.match(await admin.locator('.subtitle').innerText(), /the view for the ISMS manager/);
  for (const heading of ['Readiness for certification', 'Next three things to do', 'Overdue',
    'Risks by level', 'Statement of Applicability', 'Evidence expiring within 30 days',
    'Recent changes']) {
    assert.equal(await admin.getByRole('heading', { name: heading, level: 2 }).count(), 1, heading);
  }
  const next = admin.locator('ol.overview-next > li');
  assert.equal(await next.count(), 3);
  assert.match(await next.first().innerText(), /^blocker/);
  await shot(admin, '01-overview-new');
});

test('the setup from Getting started: the profile, the method, the catalogues and the roles', async () => {
  await admin.getByRole('link', { name: 'Getting started' }).click();
  await admin.waitForURL(/\/getting-started$/);
  assert.equal(await admin.getByRole('heading', { name: 'Set up the organisation' }).count(), 1);
  assert.equal(await admin.locator('li.guided-stage').count(), 13);
  assert.equal(await admin.locator('li.guided-stage[aria-current="step"] h2').innerText(),
    'Context and scope');
  await shot(admin, '02-getting-started-new');
  // A missing answer is refused with the field named, and nothing is set up.
  await admin.getByLabel('Size').selectOption('51-250');
  await admin.getByLabel('ISMS manager').selectOption({ index: 1 });
  const erinOption = await admin.locator('#setup-top_management option', { hasText: 'Erin Executive' })
    .getAttribute('value');
  await admin.getByLabel('Top management').selectOption(erinOption);
  await admin.locator('#setup-sector').evaluate((s) => s.removeAttribute('required'));
  await admin.getByRole('button', { name: 'Set up' }).click();
  assert.match(await admin.locator('#setup-sector-error').innerText(), /sector/);
  await admin.getByLabel('Sector').selectOption('health');
  await admin.getByRole('button', { name: 'Set up' }).click();
  await admin.waitForURL(/\/getting-started\?notice=setup$/);
  assert.match(await admin.locator('main').innerText(), /51 to 250 people, Health and care/);
  const method = admin.locator('#stage-method');
  assert.match(await method.locator('.badge').innerText(), /Done/);
  const context = admin.locator('#stage-context');
  assert.equal(await context.getAttribute('aria-current'), 'step');
  assert.match(await context.locator('.guided-next').innerText(), /Next step: /);
  await shot(admin, '03-getting-started-set-up');
  await admin.goto(url('/threats'));
  assert.match(await admin.locator('main').innerText(), /44/);
});

test('/readiness: blockers with their fixes, clauses with bars and trends, yesterday', async () => {
  await admin.goto(url('/readiness'));
  const counts = admin.locator('.readiness-outstanding li');
  assert.equal(await counts.count(), 3);
  assert.match(await counts.nth(0).innerText(), /^\d+ blockers?$/);
  assert.equal(await admin.locator('table.readiness-table tbody tr').count(), 8);
  assert.equal(await admin.locator('svg.readiness-trend').count(), 8);
  const scope = admin.locator('#check-4\\.3-scope-approved');
  assert.match(await scope.innerText(), /The ISMS scope is approved/);
  await scope.getByRole('link', { name: 'Fix it' }).click();
  await admin.waitForURL(/\/scope$/);
  await admin.goto(url('/readiness'));
  // Passed since the setup approved the default methodology: listed among the checks passed.
  assert.equal(await admin.locator('#check-6\\.1\\.2-methodology.is-passed').count(), 1);
  await shot(admin, '04-readiness');

  await admin.getByLabel('How ready were we on').fill(day(-1));
  await admin.getByRole('button', { name: 'Show' }).click();
  await admin.waitForURL(new RegExp(`/readiness\\?as_of=${day(-1)}$`));
  assert.match(await admin.locator('.alert-info').innerText(), /reconstructed from the audit trail/);
  // Yesterday the organisation did not exist yet: the methodology approved today was not there.
  assert.equal(await admin.locator('#check-6\\.1\\.2-methodology.is-passed').count(), 0);
  assert.equal(await admin.getByRole('link', { name: 'Fix it' }).count(), 0);
  await shot(admin, '05-readiness-yesterday');

  let failed;
  try {
    rampart.cli('check', '--format', 'text');
  } catch (e) {
    failed = e;
  }
  assert.equal(failed?.status, 1, 'rampart check exits 1 with blockers');
  assert.match(String(failed.stdout), /^Readiness of Northwind Health as of /);
  assert.match(String(failed.stderr), /blockers? outstanding: not ready for certification/);
});

test('an executive, an external auditor and staff each start where their role works', async () => {
  const erin = await signInFirstTime('erin', /\/\?notice=password$/);
  assert.match(await erin.locator('.subtitle').innerText(), /the view for top management/);
  for (const heading of ['Approvals waiting', 'Top risks above the acceptance criteria',
    'Objectives', 'Next management review']) {
    assert.equal(await erin.getByRole('heading', { name: heading, level: 2 }).count(), 1, heading);
  }
  await shot(erin, '06-overview-executive');

  const xavier = await signInFirstTime('xavier', /\/\?notice=password$/);
  assert.match(await xavier.locator('.subtitle').innerText(), /the view for audit/);
  assert.match(await xavier.locator('section[aria-labelledby="ov-chain"]').innerText(),
    /Verified just now: \d+ events/);
  assert.equal(await xavier.getByRole('heading', { name: 'Open findings' }).count(), 1);
  await shot(xavier, '07-overview-external-auditor');

  const sam = await signInFirstTime('sam', /\/my(\?|$)/);
  assert.equal(await sam.getByRole('link', { name: 'Readiness' }).count(), 0);
  await shot(sam, '08-my-work-staff');
});

test('no console errors, script errors or failed requests', () => {
  assert.deepEqual(problems.flat(), []);
});
