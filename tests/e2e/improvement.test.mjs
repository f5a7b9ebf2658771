// Clause 10.2 and tasks in a real browser: a nonconformity recorded through the form, a corrective
// action added from its page, "action done" refused while the action is open, the action
// completed from My work, the effectiveness verified and the nonconformity closed. Screenshots in
// E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('improvement');
const shot = (name) =>
  suite.page.screenshot({ path: `${process.env.E2E_OUT || '/tmp/rampart-e2e'}/improvement-${name}.png`,
    fullPage: true });
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let ncPath = '';

async function editNc(fill) {
  const { page } = suite;
  await page.goto(url(`${ncPath}/edit`));
  await fill(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForLoadState('load');
}

test('a nonconformity is recorded and a corrective action added from its page', async () => {
  const { page } = suite;
  await page.goto(url('/nonconformities/new'));
  await page.locator('#title').fill("Leavers' accounts not removed");
  await page.locator('#source').selectOption('internal_audit');
  await page.getByLabel('Grade').selectOption('minor');
  await page.getByLabel('Description').fill('3 of 25 leavers sampled still had active accounts.');
  await page.getByLabel('Requirement not met').fill('A.5.18');
  await page.getByLabel('Detected on').fill(day(0));
  await page.getByLabel('Owner').selectOption({ index: 1 });
  await shot('01-form');
  await page.getByRole('button', { name: 'Create nonconformity' }).click();
  await page.waitForURL(/\/nonconformities\/\d+\?notice=created$/);
  ncPath = new URL(page.url()).pathname;
  const actions = page.locator('section', { has: page.getByRole('heading', { name: /Corrective actions/ }) });
  assert.match(await actions.innerText(), /Corrective actions \(0\)/);

  await page.getByRole('link', { name: 'Add a corrective action' }).click();
  await page.waitForURL(/\/tasks\/new\?record_type=nonconformity&record_id=\d+$/);
  assert.equal(await page.getByLabel('For a record of').inputValue(), 'nonconformity');
  await page.locator('#title').fill('Send leaver notices from HR to IT');
  await page.getByLabel('Owner').selectOption({ index: 1 });
  await page.getByLabel('Due date').fill(day(14));
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.waitForURL(/\/tasks\/\d+\?notice=created$/);
  assert.match(await page.locator('.callout').innerText(),
    /Corrective action of nonconformity Leavers' accounts not removed/);
  await shot('02-task');
  await page.getByRole('link', { name: "Leavers' accounts not removed" }).click();
  assert.match(await actions.innerText(), /Corrective actions \(1\)[\s\S]*Send leaver notices from HR to IT[\s\S]*Open/);
});

test('the action is planned; "action done" waits for the corrective action', async () => {
  const { page } = suite;
  await editNc(async (p) => {
    await p.getByLabel('Status').selectOption('action_planned');
    await p.getByLabel('Reaction and containment').fill('The 3 accounts were disabled the same day.');
    await p.getByLabel('Root cause analysis method').selectOption('five_whys');
    await p.locator('#root_cause').fill("HR's leaver notice does not reach IT.");
    await p.getByLabel('Similar nonconformities').fill('Contractors leave the same way.');
    await p.getByLabel('Corrective action due').fill(day(14));
    await p.getByLabel('Effectiveness review due').fill(day(60));
    await p.getByLabel('Effectiveness reviewer').selectOption({ index: 1 });
  });
  await page.waitForURL(/notice=saved$/);
  await editNc(async (p) => { await p.getByLabel('Status').selectOption('action_done'); });
  assert.match(await page.getByRole('alert').first().innerText(),
    /1 corrective action is not done yet: "Send leaver notices from HR to IT"/);
  await shot('03-refused');
});

test('the corrective action is done from My work', async () => {
  const { page } = suite;
  await page.goto(url('/my'));
  const mine = page.locator('section', { has: page.getByRole('heading', { name: /Your tasks/ }) });
  assert.match(await mine.innerText(), /Your tasks \(1\)[\s\S]*Send leaver notices from HR to IT/);
  await shot('04-my-work');
  await mine.getByRole('link', { name: 'Send leaver notices from HR to IT' }).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Status').selectOption('done');
  await page.getByLabel('Outcome').fill('The HR leaver workflow now sends IT a ticket.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/\/tasks\/\d+\?notice=saved$/);
  assert.match(await page.locator('main').innerText(), new RegExp(`Completed on\\s+${day(0)}`));
  await page.goto(url('/my'));
  assert.match(await mine.innerText(), /Your tasks \(0\)/);
});

test('its effectiveness is verified and the nonconformity closes', async () => {
  const { page } = suite;
  await editNc(async (p) => { await p.getByLabel('Status').selectOption('action_done'); });
  await page.waitForURL(/notice=saved$/);
  await editNc(async (p) => {
    await p.getByLabel('Status').selectOption('closed');
  });
  assert.match(await page.getByRole('alert').first().innerText(), /Status cannot change/);
  await editNc(async (p) => {
    await p.locator('#effectiveness').selectOption('effective');
    await p.getByLabel('Effectiveness reviewed on').fill(day(0));
    await p.getByLabel('Effectiveness evidence').fill('Sample of 20 leavers: all removed within a day.');
    await p.getByLabel('Status').selectOption('effectiveness_verified');
  });
  await page.waitForURL(/notice=saved$/);
  await editNc(async (p) => { await p.getByLabel('Status').selectOption('closed'); });
  await page.waitForURL(/notice=saved$/);
  await shot('05-closed');
  await page.goto(url('/nonconformities'));
  assert.match(await page.getByRole('row', { name: /Leavers/ }).innerText(), /Minor[\s\S]*Closed/);
  await shot('06-list');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(suite.problems, []);
});
