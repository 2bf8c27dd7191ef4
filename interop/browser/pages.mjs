// The consent and connected-apps pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): login, consent approved and denied, connected apps listed and revoked, an axe-core
// accessibility check of both pages (no serious or critical violation), keyboard focus order, and screenshots
// (desktop, mobile, dark). Usage: node pages.mjs <base URL> <screenshot dir>. Prints "BROWSER RESULT: PASS" or
// "BROWSER RESULT: FAIL <reason>" and exits 0 or 1.
import { chromium } from 'playwright-core';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.log('BROWSER RESULT: FAIL usage: node pages.mjs <base URL> <screenshot dir>');
  process.exit(1);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
mkdirSync(outDir, { recursive: true });

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const b64url = (buf) => buf.toString('base64url');

async function register(name) {
  const r = await fetch(`${base}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: [`${base}/callback`], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], client_name: name,
      logo_uri: 'https://cdn.example.com/logo.png',
    }),
  });
  check(r.status === 201, `registration answered ${r.status}`);
  return (await r.json()).client_id;
}

function authorization(clientId, state) {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const q = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: `${base}/callback`, code_challenge: challenge,
    code_challenge_method: 'S256', state, scope: 'mcp', resource: `${base}/mcp`,
  });
  return { url: `${base}/oauth2/authorize?${q}`, verifier };
}

async function token(form) {
  const r = await fetch(`${base}/oauth2/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: r.status, json: await r.json() };
}

/** Runs axe-core in the page (through the DevTools protocol, which the page's CSP does not govern). */
async function accessibility(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    console.log(`[axe] ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} node(s))`);
  }
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${name}: ${bad.length} serious or critical accessibility violation(s): `
    + bad.map((v) => v.id).join(', '));
  console.log(`[axe] ${name}: ${result.violations.length} violation(s), none serious or critical`);
}

/** Desktop (light), mobile and desktop dark screenshots of the current page. */
async function screenshots(page, name) {
  await page.setViewportSize({ width: 1100, height: 860 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(outDir, `${name}-desktop.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await accessibility(page, `${name} (dark)`);
  await page.screenshot({ path: join(outDir, `${name}-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(outDir, `${name}-mobile.png`), fullPage: true });
  await page.setViewportSize({ width: 1100, height: 860 });
}

const userDataDir = mkdtempSync(join(tmpdir(), 'mcp-oauth-chromium-'));
let context;
let page;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, locale: 'en-US', viewport: { width: 1100, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(60_000);
  // Nothing may be fetched from a host other than this server (the client's logo above all).
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });

  // 1. Login, consent, approve.
  const first = await register('Claude Desktop');
  const a = authorization(first, 'st-approve');
  await page.goto(a.url);
  check(new URL(page.url()).pathname === '/login', `expected the login page, got ${page.url()}`);
  await page.fill('input[name=username]', 'alice');
  await page.fill('input[name=password]', 'alice-password');
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  await page.waitForSelector('button[value=approve]');
  check((await page.textContent('h1')).includes('Claude Desktop'), 'the consent page names the client');
  check(await page.isVisible('text=Unverified'), 'a self-registered client is labelled as such');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.value) === 'approve',
    'the primary action comes first in focus order');
  await accessibility(page, 'consent');
  await screenshots(page, 'consent');
  await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=approve]')]);
  const approved = new URL(page.url()).searchParams;
  check(approved.get('state') === 'st-approve' && approved.get('code'), `approve redirected to ${page.url()}`);
  const tokens = await token({ grant_type: 'authorization_code', code: approved.get('code'),
    redirect_uri: `${base}/callback`, code_verifier: a.verifier, client_id: first });
  check(tokens.status === 200, `token request answered ${tokens.status}`);

  // 2. Another client: consent, deny.
  const second = await register('Some Other Agent');
  await page.goto(authorization(second, 'st-deny').url);
  await page.waitForSelector('button[value=deny]');
  await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=deny]')]);
  check(new URL(page.url()).searchParams.get('error') === 'access_denied', `deny redirected to ${page.url()}`);

  // 3. Connected apps: listed, then revoked.
  await page.goto(`${base}/connected-apps`);
  check(await page.isVisible('h2:has-text("Claude Desktop")'), 'the approved client is listed');
  check(!(await page.isVisible('h2:has-text("Some Other Agent")')), 'the denied client is not listed');
  await accessibility(page, 'connected-apps');
  await screenshots(page, 'connected-apps');
  await Promise.all([page.waitForURL(/revoked=1/), page.click('button[aria-label="Remove access for Claude Desktop"]')]);
  check(await page.isVisible('text=Access removed.'), 'the page confirms the revocation');
  check(await page.isVisible('text=No app has access to your account.'), 'the list is empty');
  const refresh = await token({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token,
    client_id: first });
  check(refresh.status === 400 && refresh.json.error === 'invalid_grant',
    `the revoked refresh token answered ${refresh.status}`);
  const mcp = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  check(mcp.status === 401, `the revoked access token answered ${mcp.status}`);
  check(foreign.length === 0, `the browser fetched from other hosts: ${foreign.join(', ')}`);

  console.log('BROWSER RESULT: PASS');
} catch (e) {
  if (page) {
    console.log(`[page] at ${page.url()}: ${(await page.content().catch(() => '')).slice(0, 2000)}`);
  }
  console.log(`BROWSER RESULT: FAIL ${e.message}`);
  process.exitCode = 1;
} finally {
  if (context) {
    await context.close();
  }
  rmSync(userDataDir, { recursive: true, force: true });
}
