// Reminders in a real browser: two tasks of the signed-in person (one overdue, one due in three
// days), the day's reminder pass run by `rampart remind` beside the running server, the unread
// count in the navigation, the digest on /notifications linking each task, then marked read.
// Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('notifications');
const shot = (name) => suite.shot(name);
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const nav = () => suite.page.locator('nav a[href="/notifications"]');

async function task(title, due) {
  const { page } = suite;
  await page.goto(url('/tasks/new'));
  await page.locator('#title').fill(title);
  await page.getByLabel('Owner').selectOption({ index: 1 });
  await page.getByLabel('Due date').fill(due);
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.waitForURL(/\/tasks\/\d+\?notice=created$/);
  return new URL(page.url()).pathname;
}

let overduePath = '';
let soonPath = '';

test('nothing is unread before the reminder pass', async () => {
  const { page } = suite;
  overduePath = await task('Renew the firewall support contract', day(-2));
  soonPath = await task('Review the privileged accounts', day(3));
  await page.goto(url('/notifications'));
  assert.equal(await nav().locator('.nav-count').count(), 0);
  assert.equal(await page.locator('.subtitle').innerText(), 'Nothing unread');
  assert.match(await page.locator('main').innerText(), /No notifications yet/);
});

test('the day\'s pass leaves one digest: counted in the navigation, listed with its links', async () => {
  const { page } = suite;
  // The server's own scheduler may have run today's pass already (its hour is past): then the
  // command records nothing new, and the page still shows exactly one digest.
  const out = suite.rampart.cli('remind');
  assert.match(out, new RegExp(`^Reminders of ${day(0)}: [01] digests recorded, 0 e-mails sent, 0 failed\\.`));
  assert.equal(suite.rampart.cli('remind').match(/: (\d+) digests recorded/)[1], '0',
    'a second pass the same day records nothing');

  await page.goto(url('/'));
  assert.equal(await nav().locator('.nav-count').innerText(), '1');
  assert.equal(await nav().getAttribute('aria-current'), null);
  assert.match(await nav().innerText(), /Notifications/);
  assert.equal(await page.getByRole('link', { name: 'Notifications (1 unread)' }).count(), 1);

  await nav().click();
  await page.waitForURL(/\/notifications$/);
  assert.equal(await page.locator('.subtitle').innerText(), '1 unread');
  const cards = page.locator('section.notification');
  assert.equal(await cards.count(), 1);
  const card = cards.first();
  assert.equal(await card.getByRole('heading', { level: 2 }).innerText(),
    `2 reminders for ${day(0)} Unread`);
  const items = card.locator('ul.notification-items li');
  assert.equal(await card.getByRole('heading', { level: 3 }).innerText(), 'Tasks due soon or overdue');
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).innerText(),
    new RegExp(`Renew the firewall support contract · overdue, due ${day(-2)}`));
  assert.match(await items.nth(1).innerText(),
    new RegExp(`Review the privileged accounts · due ${day(3)}`));
  assert.equal(await items.nth(0).getByRole('link').getAttribute('href'), overduePath);
  await shot('01-unread');

  await items.nth(1).getByRole('link').click();
  await page.waitForURL((u) => u.pathname === soonPath);
  assert.match(await page.locator('h1').innerText(), /Review the privileged accounts/);
});

test('marked read: the count goes, the digest stays listed', async () => {
  const { page } = suite;
  await page.goto(url('/notifications'));
  await page.getByRole('button', { name: `Mark "2 reminders for ${day(0)}" read` }).click();
  await page.waitForURL(/\/notifications\?notice=read$/);
  assert.match(await page.locator('main').innerText(), /Marked read\./);
  assert.equal(await page.locator('.subtitle').innerText(), 'Nothing unread');
  assert.equal(await nav().locator('.nav-count').count(), 0);
  assert.equal(await page.locator('section.notification.is-unread').count(), 0);
  assert.equal(await page.locator('section.notification').count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Mark all read' }).count(), 0);
  await shot('02-read');
  assert.deepEqual(suite.problems, []);
});
