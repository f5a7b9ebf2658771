// Clause 7.3 in a real browser: an awareness campaign planned through the form and launched to
// the staff, completed by one staff member from My work, its completion rate and who has not
// completed it on its page, then closed. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite, memberFirstSignIn } from './harness.mjs';

const suite = signedInSuite('awareness');
const shot = (name, page = suite.page) =>
  page.screenshot({ path: `${process.env.E2E_OUT || '/tmp/rampart-e2e'}/awareness-${name}.png`,
    fullPage: true });
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const otps = {};
const seen = [];
let campaignPath = '';

function addMembers() {
  for (const [username, name] of [['sam', 'Sam Staff'], ['tess', 'Tess Staff']]) {
    const out = suite.rampart.cli('user', 'add', '--username', username, '--role', 'staff',
      '--display-name', name);
    otps[username] = /One-time password[^\n]*\n(\S+)/.exec(out)?.[1];
    assert.ok(otps[username], out);
  }
}

async function signIn(username) {
  const { page, problems } = await memberFirstSignIn(suite.browser, suite.rampart.baseUrl,
    username, otps[username], `a private passphrase for ${username.length} letters`);
  seen.push(problems);
  return page;
}

test('an administrator plans a campaign for the staff and launches it', async () => {
  addMembers();
  const { page } = suite;
  page.on('dialog', (d) => d.accept());
  await page.goto(url('/awareness-campaigns/new'));
  await page.getByLabel('Topic').fill('Phishing: recognise and report');
  await page.getByLabel('What is asked').fill('Watch the ten-minute video and report the test mail.');
  const roles = page.getByRole('combobox', { name: 'Audience: roles' });
  await roles.fill('Staff');
  await page.getByRole('option', { name: 'Staff', exact: true }).click();
  const due = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('Due').fill(due);
  await shot('01-form');
  await page.getByRole('button', { name: 'Create awareness campaign' }).click();
  await page.waitForURL(/\/awareness-campaigns\/\d+\?notice=created$/);
  campaignPath = new URL(page.url()).pathname;
  assert.match(await page.locator('main').innerText(), /Planned: nobody has been asked yet/);
  await page.getByRole('button', { name: 'Launch' }).click();
  await page.waitForURL(/notice=invited-2$/);
  assert.match(await page.locator('main').innerText(), /Asked 2 people to complete it/);
  assert.equal(await page.locator('.ack-rate').innerText(), '0 of 2 completed it (0 %).');
  await shot('02-launched');
});

test('a staff member completes it from My work', async () => {
  const sam = await signIn('sam');
  await sam.goto(url('/my'));
  const section = sam.locator('section', { has: sam.getByRole('heading', { name: /Awareness to complete/ }) });
  assert.match(await section.innerText(), /Awareness to complete \(1\)/);
  assert.match(await section.innerText(), /Phishing: recognise and report/);
  await shot('03-my-work', sam);
  await sam.getByRole('button', { name: 'Complete Phishing: recognise and report' }).click();
  await sam.waitForURL(/\/my\?notice=completed$/);
  assert.match(await sam.locator('main').innerText(), /Completed\. Thank you\./);
  assert.match(await section.innerText(), /Awareness to complete \(0\)/);
  const record = sam.getByRole('table', { name: 'Awareness campaigns you were asked to complete' });
  assert.match(await record.innerText(), /Phishing: recognise and report[\s\S]*Completed/);
  await shot('04-completed', sam);
});

test('the campaign shows who has not completed it, and is closed', async () => {
  const { page } = suite;
  await page.goto(url(campaignPath));
  assert.equal(await page.locator('.ack-rate').innerText(), '1 of 2 completed it (50 %).');
  const waiting = page.locator('section', { has: page.getByRole('heading', { name: 'Not yet completed' }) });
  assert.match(await waiting.innerText(), /Tess Staff/);
  assert.doesNotMatch(await waiting.innerText(), /Sam Staff/);
  await shot('05-progress');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.match(await page.locator('main').innerText(), /Not completed\n/);
  assert.equal(await page.getByRole('button', { name: 'Launch' }).count(), 0);
  await page.goto(url('/awareness-campaigns'));
  assert.match(await page.getByRole('row', { name: /Phishing/ }).innerText(), /Closed/);
  await shot('06-list');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
  for (const p of seen) assert.deepEqual(p, []);
});
