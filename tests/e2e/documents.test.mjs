// Clause 7.5 in a real browser: a policy walked from draft to published, approved by top
// management, acknowledged by two staff members, then a new draft edited while the published
// version stays what staff read. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite, openPage } from './harness.mjs';

const suite = signedInSuite('documents');
const shot = (name, page = suite.page) =>
  page.screenshot({ path: `${process.env.E2E_OUT || '/tmp/rampart-e2e'}/documents-${name}.png`,
    fullPage: true });
const otps = {};
const pages = {};
const seen = [];  // the problems of the members' pages
let docPath = '';
let readerPath = '';

function addMembers() {
  for (const [username, role, name] of [
    ['erin', 'executive', 'Erin Executive'],
    ['sam', 'staff', 'Sam Staff'],
    ['tess', 'staff', 'Tess Staff'],
  ]) {
    const out = suite.rampart.cli('user', 'add', '--username', username, '--role', role,
      '--display-name', name);
    otps[username] = /One-time password[^\n]*\n(\S+)/.exec(out)?.[1];
    assert.ok(otps[username], out);
  }
}

const url = (p) => `${suite.rampart.baseUrl}${p}`;

// A member's first sign-in in a browser context of their own; returns where they land.
async function signIn(username) {
  const { page, problems } = await openPage(suite.browser);
  seen.push(problems);
  page.on('dialog', (d) => d.accept());
  await page.goto(url('/signin'));
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(otps[username]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account\/password$/);
  await page.getByLabel('Current password').fill(otps[username]);
  await page.getByLabel('New password').fill(`a private passphrase for ${username.length} letters`);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForLoadState('load');
  pages[username] = page;
  return page;
}

const policyText = [
  '# Information security policy',
  '',
  'We protect the information entrusted to us.',
  '',
  '| Role | Duty |',
  '|---|---|',
  '| Everyone | Report incidents |',
  '',
  '<script>alert("x")</script>',
].join('\n');

test('an administrator writes a policy and submits it for review', async () => {
  addMembers();
  const { page } = suite;
  page.on('dialog', (d) => d.accept());
  await page.goto(url('/documents/new'));
  await page.getByLabel('Title').fill('Information security policy');
  await page.getByLabel('Type').selectOption('isms_policy');
  const roles = page.getByRole('combobox', { name: 'Distribution: roles' });
  await roles.fill('Staff');
  await page.getByRole('option', { name: 'Staff', exact: true }).click();
  await page.getByRole('button', { name: 'Create document' }).click();
  await page.waitForURL(/\/documents\/\d+\?notice=created$/);
  docPath = new URL(page.url()).pathname;
  assert.match(await page.locator('main').innerText(), /POL-001/);

  await page.getByRole('button', { name: 'Write the first draft' }).click();
  await page.waitForURL(/\/document-versions\/\d+\/edit$/);
  await page.getByLabel('Text').fill(policyText);
  await page.getByLabel('What changed').fill('First issue');
  await shot('01-draft-editor');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/document-versions\/\d+\?notice=saved$/);
  const text = page.locator('.document-text');
  assert.equal(await text.locator('h1').innerText(), 'Information security policy');
  assert.equal(await text.locator('table td').first().innerText(), 'Everyone');
  assert.equal(await text.locator('script').count(), 0);  // raw HTML is not rendered
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.match(await page.locator('.callout').first().innerText(), /In review/);
  // The administrator is not top management: no Approve button.
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  await shot('02-in-review');
});

test('an executive approves it and the administrator publishes it', async () => {
  const erin = await signIn('erin');
  await erin.goto(url('/my'));
  const approval = erin.getByRole('link', { name: /POL-001 Information security policy/ });
  await approval.click();
  await erin.getByRole('button', { name: 'Approve' }).click();
  await erin.waitForURL(/notice=saved$/);
  assert.match(await erin.locator('.callout').first().innerText(), /Approved/);
  await shot('03-approved', erin);

  const { page } = suite;
  await page.reload();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.match(await page.locator('.callout').first().innerText(), /Published/);
  await page.goto(url(docPath));
  assert.match(await page.locator('.ack-rate').innerText(), /0 of 2 acknowledged version 1/);
});

test('two staff members land on My work and acknowledge it', async () => {
  for (const name of ['sam', 'tess']) {
    const staff = await signIn(name);
    assert.match(new URL(staff.url()).pathname, /^\/my$/);
    // Staff see no registers in the navigation.
    assert.equal(await staff.getByRole('link', { name: 'Risks' }).count(), 0);
    await staff.getByRole('link', { name: /POL-001 Information security policy/ }).first().click();
    await staff.waitForURL(/\/my\/documents\/\d+$/);
    readerPath = new URL(staff.url()).pathname;
    assert.equal(await staff.locator('.document-text h1').innerText(), 'Information security policy');
    if (name === 'sam') await shot('04-staff-reads', staff);
    await staff.getByRole('button', { name: /Acknowledge/ }).click();
    await staff.waitForURL(/notice=acknowledged$/);
    assert.match(await staff.locator('.ack-done').innerText(), /You acknowledged this version/);
    // Nothing else of the ISMS.
    const refused = await staff.goto(url('/risks'));
    assert.equal(refused.status(), 403);
  }
  await shot('05-staff-acknowledged', pages.tess);
  const { page } = suite;
  await page.goto(url(docPath));
  assert.match(await page.locator('.ack-rate').innerText(), /2 of 2 acknowledged version 1 \(100 %\)/);
  await shot('06-document-published');
});

test('a new draft is edited while staff still read the published version', async () => {
  const { page } = suite;
  await page.goto(url(docPath));
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.waitForURL(/\/document-versions\/\d+\/edit$/);
  await page.getByLabel('Text').fill(policyText.replace('We protect', 'We protect and preserve'));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/notice=saved$/);
  await page.getByRole('link', { name: 'Compare' }).click();
  await page.waitForURL(/\/document-versions\/compare/);
  assert.equal(await page.locator('.diff-removed .diff-text').innerText(),
    'We protect the information entrusted to us.');
  assert.equal(await page.locator('.diff-added .diff-text').innerText(),
    'We protect and preserve the information entrusted to us.');
  await shot('07-compare');

  const sam = pages.sam;
  await sam.goto(url(readerPath));
  assert.match(await sam.locator('.document-text').innerText(), /^We protect the information/m);
  assert.match(await sam.locator('.callout').first().innerText(), /Version 1/);
  await page.goto(url(docPath));
  assert.match(await page.locator('.callout').first().innerText(), /Version 2 is in preparation/);
  await shot('08-draft-while-published');
});

test('the published policy meets 5.2 on the mandatory documentation page; gaps are named', async () => {
  const { page } = suite;
  await page.goto(url('/documents'));
  await page.getByRole('link', { name: 'Mandatory documentation' }).click();
  await page.waitForURL(/\/mandatory-documentation$/);
  const policy = page.locator('#req-5\\.2');
  assert.equal(await policy.locator('.badge').last().innerText(), 'Met');
  assert.match(await policy.locator('td').nth(1).innerText(), /^POL-001 Information security policy/);
  const scope = page.locator('#req-4\\.3');
  assert.equal(await scope.locator('.badge').last().innerText(), 'Gap');
  assert.match(await scope.innerText(), /The ISMS scope has no approved version/);
  await shot('09-mandatory');
  // A gap its records close leads to their register; one only a document closes, to a new one.
  assert.equal(await page.locator('#req-9\\.2\\.2').getByRole('link', { name: 'Close the gap' })
    .getAttribute('href'), '/internal-audits');
  await page.locator('#req-6\\.1\\.3-1').getByRole('link', { name: 'Close the gap' }).click();
  await page.waitForURL(/\/documents\/new\?clauses=6\.1\.3$/);
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual([...suite.problems, ...seen.flat()], []);
});
