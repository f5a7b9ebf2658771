// Only what you may do is offered (issue 12 B5), in a real browser, for a risk owned by the
// administrator whose first treatment action a contributor owns: the contributor is refused the
// risk's edit form (403, with the reason) and finds no Edit or Delete on its page, but gets a
// status form for their own action and only for it, and changing it changes nothing else; the
// server refuses what the page does not offer (the other action's status, a crafted save). The
// risk acceptance form is shown to the owner and not to a viewer or an auditor, who read who may
// decide instead. tests/api/page_roles_test.cc checks every page as every role; this is the
// browser's view of the cases the issue names. Screenshots in E2E_OUT (roles-*.png).
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
const adminPassword = 'the chief officer passphrase';
const ids = {};  // user ids by user name, and the risks' ids
const otps = {};

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  const a = await openPage(browser);
  admin = a.page;
  problems.push(a.problems);
  await firstSignIn(admin, rampart, adminPassword, '/signin');
  // The members, added on the command line like an operator would (one-time passwords).
  for (const [username, role, name] of [
    ['cora', 'contributor', 'Cora Contributor'],
    ['vera', 'viewer', 'Vera Viewer'],
    ['audrey', 'auditor', 'Audrey Auditor'],
  ]) {
    const out = rampart.cli('user', 'add', '--username', username, '--role', role,
      '--display-name', name);
    ids[username] = Number(/\(id (\d+)\)/.exec(out)?.[1]);
    otps[username] = /One-time password[^\n]*\n(\S+)/.exec(out)?.[1];
    assert.ok(ids[username] && otps[username], out);
  }
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const url = (p) => `${rampart.baseUrl}${p}`;
const shot = (page, name) =>
  page.screenshot({ path: path.join(outDir, `roles-${name}.png`), fullPage: true });
const csrfOf = (page) => page.locator('input[name="_csrf"]').first().inputValue();

// A member's first sign-in in a browser context of their own: the one-time password, then the
// forced change of password.
async function signInFirstTime(username) {
  const { page, problems: seen } = await memberFirstSignIn(browser, rampart.baseUrl, username,
    otps[username], `a long private passphrase of ${username.length} letters`);
  problems.push(seen);
  await page.waitForURL(/\/\?notice=password$/);
  return page;
}

// The JSON API as the administrator's browser session (CSRF token in a header).
async function adminApi(method, p, data, headers = {}) {
  await admin.goto(url('/'));
  const res = await admin.request.fetch(url(`/api/v1/${p}`), {
    method, data, headers: { 'X-CSRF-Token': await csrfOf(admin), ...headers } });
  assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
  return res.json();
}

// A risk as the API answers it, without what every change moves on (its version and stamps).
function stable(risk) {
  const out = structuredClone(risk);
  for (const k of ['version', 'updated_at', 'updated_by']) delete out[k];
  return out;
}

let cora;
let riskBefore;

test('the administrator records a risk whose first action the contributor owns', async () => {
  const me = await adminApi('GET', 'auth/me');
  ids.admin = me.user_id;
  // Low (2 × 2) under the default methodology: the owner, an ISMS manager or an executive
  // may accept it.
  const risk = await adminApi('POST', 'risks', {
    title: 'Laptop theft', owner: ids.admin, inherent_likelihood: 2, inherent_impact: 2,
    treatment: 'modify', status: 'treatment_planned',
    actions: [
      { action: 'Encrypt disks', owner: ids.cora, status: 'open' },
      { action: 'Buy a safe', status: 'open' },
    ] });
  ids.risk = risk.id;
  // A risk the contributor owns, to show that what is refused on the other one is theirs here.
  const own = await adminApi('POST', 'risks', {
    title: 'Phishing of the finance team', owner: ids.cora, status: 'identified' });
  ids.own = own.id;
  riskBefore = await adminApi('GET', `risks/${ids.risk}`);
  assert.equal(riskBefore.version, 1);

  // The owner is offered the decision (the form the others must not get).
  await admin.goto(url(`/risks/${ids.risk}`));
  const panel = admin.locator('section.acceptance');
  assert.equal(await panel.getByRole('button', { name: 'Record decision' }).count(), 1);
  assert.equal(await admin.locator(`form[action="/risks/${ids.risk}/acceptance"]`).count(), 1);
  assert.equal(await admin.getByRole('link', { name: 'Edit', exact: true }).count(), 1);
  await panel.scrollIntoViewIfNeeded();
  await shot(admin, '01-owner-offered-decision');
});

test('the contributor is refused the edit form of a risk they do not own, with the reason', async () => {
  cora = await signInFirstTime('cora');
  const res = await cora.goto(url(`/risks/${ids.risk}/edit`));
  assert.equal(res.status(), 403);
  assert.equal(await cora.locator('h1').innerText(), 'Not allowed');
  const alert = cora.getByRole('alert');
  assert.equal(await alert.locator('h2').innerText(), 'You cannot do this');
  assert.equal(await alert.locator('p').innerText(),
    'your role (Contributor) may change only risks that name you as owner or assignee');
  assert.equal(await alert.getByRole('link', { name: 'Back to the record' }).getAttribute('href'),
    `/risks/${ids.risk}`);
  // No form at all: nothing to fill in that would be refused on saving.
  assert.equal(await cora.getByRole('button', { name: 'Save changes' }).count(), 0);
  assert.equal(await cora.locator('#title').count(), 0);
  await shot(cora, '02-contributor-edit-refused');

  // A save crafted without the form is refused the same way, and nothing changes.
  const save = await cora.request.post(url(`/risks/${ids.risk}`), {
    form: { _csrf: await csrfOf(cora), version: '1', title: 'Taken over' }, maxRedirects: 0 });
  assert.equal(save.status(), 403);
  assert.match(await save.text(), /may change only risks that name you as owner or assignee/);
  assert.equal((await adminApi('GET', `risks/${ids.risk}`)).title, 'Laptop theft');
});

test('the risk\'s page offers the contributor only the status of their own action', async () => {
  const res = await cora.goto(url(`/risks/${ids.risk}`));
  assert.equal(res.status(), 200);
  assert.equal(await cora.locator('h1').innerText(), 'Laptop theft');
  assert.equal(await cora.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
  assert.equal(await cora.locator(`a[href="/risks/${ids.risk}/edit"]`).count(), 0);
  assert.equal(await cora.getByRole('button', { name: 'Delete' }).count(), 0);
  // Not the owner and not a role the methodology names for Low: no decision, the reason instead.
  const acceptance = cora.locator('section.acceptance');
  assert.equal(await acceptance.getByRole('button', { name: 'Record decision' }).count(), 0);
  assert.equal(await acceptance.locator('p.muted').innerText(),
    'Not yours to decide: a risk at level Low may be accepted by the risk owner, a member with ' +
    'the role ISMS manager or a member with the role Executive.');

  const progress = cora.getByRole('region', { name: 'Progress of treatment actions' });
  assert.equal(await progress.locator('form').count(), 1);
  assert.equal(await progress.locator('form').getAttribute('action'),
    `/risks/${ids.risk}/actions/0/status`);
  const status = progress.getByLabel('Encrypt disks');
  assert.equal(await status.inputValue(), 'open');
  assert.deepEqual(await status.locator('option').allInnerTexts(),
    ['Open', 'In progress', 'Done', 'Cancelled']);
  assert.equal(await progress.getByLabel('Buy a safe').count(), 0);
  // The only form in the page's content (signing out is in the sidebar) is that status.
  const actions = await cora.locator('main form[method="post"]').evaluateAll(
    (forms) => forms.map((f) => f.getAttribute('action')));
  assert.deepEqual(actions, [`/risks/${ids.risk}/actions/0/status`]);
  await progress.scrollIntoViewIfNeeded();
  await shot(cora, '03-contributor-risk-page');

  await status.selectOption({ label: 'In progress' });
  await progress.getByRole('button', { name: 'Save status' }).click();
  await cora.waitForURL(new RegExp(`/risks/${ids.risk}\\?notice=saved$`));
  assert.equal(await cora.getByRole('status').first().innerText(), 'Saved.');
  const table = cora.locator('.record table');
  assert.match(await table.locator('tr', { hasText: 'Encrypt disks' }).innerText(), /In progress/);
  assert.match(await table.locator('tr', { hasText: 'Buy a safe' }).innerText(), /Open/);
  assert.equal(await cora.getByRole('region', { name: 'Progress of treatment actions' })
    .getByLabel('Encrypt disks').inputValue(), 'in_progress');
  await shot(cora, '04-contributor-status-saved');

  // That status and nothing else: a new revision differing only there.
  const after = await adminApi('GET', `risks/${ids.risk}`);
  assert.equal(after.version, 2);
  const expected = stable(riskBefore);
  expected.actions[0].status = 'in_progress';
  assert.deepEqual(stable(after), expected);
});

test('the server refuses the contributor the status of an action that is not theirs', async () => {
  const csrf = await csrfOf(cora);
  const page = await cora.request.post(url(`/risks/${ids.risk}/actions/1/status`), {
    form: { _csrf: csrf, version: '2', status: 'done' }, maxRedirects: 0 });
  assert.equal(page.status(), 403);
  assert.match(await page.text(),
    /your role \(Contributor\) may change the status only of treatment actions naming you as their owner/);
  const api = await cora.request.post(url(`/api/v1/risks/${ids.risk}/actions/1/status`), {
    headers: { 'X-CSRF-Token': csrf, 'If-Match': '"2"' }, data: { status: 'done' } });
  assert.equal(api.status(), 403);
  // Their own action through the API: allowed.
  const own = await cora.request.post(url(`/api/v1/risks/${ids.risk}/actions/0/status`), {
    headers: { 'X-CSRF-Token': csrf, 'If-Match': '"2"' }, data: { status: 'done' } });
  assert.equal(own.status(), 200, await own.text());
  const after = await adminApi('GET', `risks/${ids.risk}`);
  assert.deepEqual(after.actions.map((a) => a.status), ['done', 'open']);
  assert.equal(after.version, 3);
});

test('on a risk they own the contributor is offered Edit, and the form opens', async () => {
  await cora.goto(url(`/risks/${ids.own}`));
  await cora.getByRole('link', { name: 'Edit', exact: true }).click();
  await cora.waitForURL(new RegExp(`/risks/${ids.own}/edit$`));
  assert.equal(await cora.locator('h1').innerText(), 'Edit: Phishing of the finance team');
  assert.equal(await cora.getByRole('button', { name: 'Save changes' }).count(), 1);
  const res = await cora.goto(url(`/risks/${ids.own}/edit`));
  assert.equal(res.status(), 200);
});

for (const [username, label] of [['vera', 'viewer'], ['audrey', 'auditor']]) {
  test(`the ${label} reads the risk without the acceptance form or any other`, async () => {
    const page = await signInFirstTime(username);
    // Signed in as that role: the audit trail is in the auditor's menu only.
    assert.equal(await page.getByRole('navigation', { name: 'ISMS' })
      .getByRole('link', { name: 'Audit trail' }).count(), label === 'auditor' ? 1 : 0);
    const res = await page.goto(url(`/risks/${ids.risk}`));
    assert.equal(res.status(), 200);
    const acceptance = page.locator('section.acceptance');
    assert.equal(await acceptance.locator('h2').innerText(), 'Risk acceptance');
    assert.equal(await acceptance.getByRole('button', { name: 'Record decision' }).count(), 0);
    assert.equal(await acceptance.getByLabel('Decision').count(), 0);
    assert.equal(await acceptance.locator('p.muted').innerText(),
      'Not yours to decide: a risk at level Low may be accepted by the risk owner, a member ' +
      'with the role ISMS manager or a member with the role Executive.');
    assert.equal(await page.getByRole('region', { name: 'Progress of treatment actions' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
    assert.equal(await page.locator('main form[method="post"]').count(), 0);
    await acceptance.scrollIntoViewIfNeeded();
    await shot(page, `05-${label}-risk-page`);
    // A decision posted without the form is refused.
    const post = await page.request.post(url(`/risks/${ids.risk}/acceptance`), {
      form: { _csrf: await csrfOf(page), version: '3', decision: 'accepted' }, maxRedirects: 0 });
    assert.equal(post.status(), 403);
    assert.match(await post.text(), /a risk at level Low may be accepted by the risk owner/);
    const edit = await page.goto(url(`/risks/${ids.risk}/edit`));
    assert.equal(edit.status(), 403);
  });
}

test('the risk was decided on by nobody and changed only in its first action', async () => {
  const risk = await adminApi('GET', `risks/${ids.risk}`);
  assert.equal(risk.title, 'Laptop theft');
  assert.equal(risk.status, 'treatment_planned');
  assert.equal(risk.acceptance ?? null, null);
  assert.equal(risk.version, 3);
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(problems.flat(), []);
});
