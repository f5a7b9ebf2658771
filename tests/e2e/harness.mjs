// Starts a throwaway Rampart (init + serve on a free port) and Debian's Chromium for browser
// tests. RAMPART_BIN names the binary; E2E_OUT is where screenshots go.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const bin = process.env.RAMPART_BIN;
if (!bin) throw new Error('set RAMPART_BIN to the rampart binary');
export const outDir = process.env.E2E_OUT || path.join(tmpdir(), 'rampart-e2e');
mkdirSync(outDir, { recursive: true });

export async function startRampart(org = 'Acme Ltd') {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-e2e-'));
  const db = path.join(dir, 'rampart.db');
  const init = execFileSync(bin, ['init', '--db', db, '--org', org], { encoding: 'utf8' });
  const otp = /One-time password:\s+(\S+)/.exec(init)?.[1];
  const username = /First administrator:\s+(\S+)/.exec(init)?.[1];
  if (!otp || !username) throw new Error(`init printed no credentials:\n${init}`);
  const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /serving on (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return {
    baseUrl,
    username,
    otp,
    db,
    // Runs a command-line sub-command on the same database (org add, user add, ...).
    cli(...args) {
      return execFileSync(bin, [...args, '--db', db], { encoding: 'utf8' });
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// A page of its own in `browser` (1400×900), and the problems watchProblems collects on it.
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

// The administrator's first sign-in: the one-time password, then the forced change to
// `password`. Starts from `path`, which sends to the sign-in page.
export async function firstSignIn(page, rampart, password, path = '/') {
  await page.goto(`${rampart.baseUrl}${path}`);
  await page.getByLabel('User name').fill(rampart.username);
  await page.getByLabel('Password').fill(rampart.otp);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account\/password$/);
  await page.getByLabel('Current password').fill(rampart.otp);
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL(/\/\?notice=password$/);
}

// A member's first sign-in in a browser context of their own: the one-time password `otp`, then
// the forced change to `password`; the page is left where the change leads (the caller waits for
// its landing). Returns the page and its problems (watchProblems).
export async function memberFirstSignIn(browser, baseUrl, username, otp, password) {
  const { page, problems } = await openPage(browser);
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(otp);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account\/password$/);
  await page.getByLabel('Current password').fill(otp);
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForLoadState('load');
  return { page, problems };
}

// Collects console errors (CSP violations show up here), script errors and failed requests of
// a page. A 4xx answer to a deliberately bad form is expected (Chromium logs it as "Failed to
// load resource"), and so is a request aborted by the navigation that follows a click.
export function watchProblems(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') {
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`server error ${res.status()}: ${res.url()}`);
    if (res.url().includes('/static/') && res.status() >= 400) {
      problems.push(`missing asset ${res.status()}: ${res.url()}`);
    }
  });
  return problems;
}

// A test file's administrator, signed in: before its tests, a throwaway Rampart, Chromium and a
// page past the first sign-in; after them, both stopped. The fields fill in when the tests start;
// `shot(name)` saves a full-page screenshot as `<prefix>-<name>.png` in E2E_OUT.
export function signedInSuite(prefix, password = 'a long and private passphrase') {
  const suite = { rampart: null, browser: null, page: null, problems: null, password };
  before(async () => {
    suite.rampart = await startRampart();
    suite.browser = await launchBrowser();
    ({ page: suite.page, problems: suite.problems } = await openPage(suite.browser));
    await firstSignIn(suite.page, suite.rampart, password);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.rampart?.stop();
  });
  suite.shot = (name) =>
    suite.page.screenshot({ path: path.join(outDir, `${prefix}-${name}.png`), fullPage: true });
  return suite;
}
