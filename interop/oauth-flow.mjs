#!/usr/bin/env node
// Interop check: drives the official MCP TypeScript SDK client against an mcp-oauth protected MCP server,
// the way Claude Code / MCP Inspector do, with the browser part replaced by plain HTTP (fetch + cookie jar).
//
//   node oauth-flow.mjs <baseUrl> <username> <password> [--require-oauth] [--upstream=<label>]
//        [--expect-subject=<subject>]   (sign in through "Sign in with <label>", an upstream OpenID provider)
//   node oauth-flow.mjs <baseUrl> - - --machine       (machine client, see INTEROP_MACHINE_* below)
//
// Paths:
//   oauth   - the first unauthenticated MCP request got 401: discovery (RFC 9728 / RFC 8414), dynamic client
//             registration (RFC 7591), authorization code + PKCE through the login and consent pages, token
//             exchange, MCP calls with the bearer token, then a forced refresh_token grant.
//   no-auth - the MCP endpoint answered without 401 (OAuth not wired yet): connect, list tools, call echo/whoami.
//             With --require-oauth (or INTEROP_REQUIRE_OAUTH=1) this path is a failure.
//
// Optional environment:
//   INTEROP_REQUIRE_OAUTH=1          same as --require-oauth
//   INTEROP_REDIRECT_URL             redirect URI to register (default http://127.0.0.1:<random port>/callback;
//                                    nothing listens there, the redirect is captured from the Location header)
//   INTEROP_CLIENT_AUTH_METHOD       token_endpoint_auth_method to register (default "none", like Claude Code)
//   INTEROP_CLIENT_SCOPE             "scope" in the client metadata (SDK fallback when neither the 401 nor the
//                                    protected resource metadata name scopes)
//   INTEROP_TIMEOUT_MS               overall watchdog (default 120000)
//   INTEROP_MACHINE_AUTH             with --machine: client_secret_basic (the SDK's ClientCredentialsProvider) or
//                                    private_key_jwt (its PrivateKeyJwtProvider); path=machine-<that value>
//   INTEROP_MACHINE_CLIENT_ID        with --machine: the pre-registered client's id
//   INTEROP_MACHINE_CLIENT_SECRET    with --machine and client_secret_basic: its secret
//   INTEROP_MACHINE_PRIVATE_JWK      with --machine and private_key_jwt: its ES256 private key as a JWK (JSON)
//
// Output: step logs on stdout, then exactly one line "INTEROP RESULT: PASS path=<oauth|no-auth>" on success.
// Exit code 0 on success, 1 on any failure, 2 on bad usage.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

// ---------------------------------------------------------------------------------------------------------------
// Page recognition. Adjust these to the final HTML of the library's login and consent pages.
// A "form" here is { action: URL, method: 'get'|'post', id, fields: [{tag, type, name, value, checked, disabled}],
// submitters: [{tag, type, name, value, text}] } as produced by parseForms() below.
// ---------------------------------------------------------------------------------------------------------------

/** Is this the login form? */
export function isLoginForm(form) {
  return hasField(form, 'username') && hasField(form, 'password');
}

/** Values typed into the login form (merged over the form's own fields, e.g. hidden csrf/return). */
export function loginValues(form, { username, password }) {
  return { username, password };
}

/** The submit button that approves on the consent page, or undefined if this is not the consent form. */
export function consentApproveButton(form) {
  return (
    form.submitters.find((b) => b.name === 'decision' && b.value === 'approve') ??
    form.submitters.find((b) => /^(approve|allow|accept|authorize)$/i.test(b.value ?? '')) ??
    form.submitters.find((b) => /^\s*(approve|allow|accept|authorize)\b/i.test(b.text ?? ''))
  );
}

/** Extra values to send with the consent form (e.g. to tick scope checkboxes). Default: nothing extra. */
export function consentValues(form) {
  return {};
}

/** Short text describing why a page was not recognized (shown on failure). */
export function describePage(html) {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  const alert = /<[^>]+(?:class="[^"]*error[^"]*"|role="alert")[^>]*>([\s\S]*?)<\//i.exec(html)?.[1]?.trim();
  const text = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
  return [title && `title="${decodeEntities(title)}"`, alert && `alert="${decodeEntities(alert)}"`, `text="${decodeEntities(text)}"`]
    .filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------------------------

const MAX_BROWSER_STEPS = 20;
const USER_AGENT = 'mcp-oauth-interop (like a browser; @modelcontextprotocol/sdk client)';

class InteropFailure extends Error {}

function fail(message) {
  throw new InteropFailure(message);
}

function check(condition, message) {
  if (!condition) fail(message);
}

let stepNo = 0;
function step(title) {
  stepNo += 1;
  console.log(`\n== [${stepNo}] ${title}`);
}
function info(message) {
  console.log(`   ${message}`);
}
function warn(message) {
  console.log(`   WARN: ${message}`);
}

function sdkVersion() {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    return JSON.parse(readFileSync(join(here, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function randomToken(bytes = 16) {
  return randomBytes(bytes).toString('base64url');
}

function redact(value) {
  if (typeof value !== 'string' || value.length === 0) return String(value);
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP logging for everything the SDK sends (discovery, registration, token, MCP)
// ---------------------------------------------------------------------------------------------------------------

const httpLog = [];

function describeBody(url, init) {
  const body = init?.body;
  if (!body) return '';
  if (body instanceof URLSearchParams) {
    const p = new URLSearchParams(body);
    const shown = [];
    for (const [k, v] of p) {
      const secret = ['code', 'code_verifier', 'refresh_token', 'client_secret', 'password', 'client_assertion',
        'assertion'].includes(k);
      shown.push(`${k}=${secret ? redact(v) : v}`);
    }
    return ` form{${shown.join(', ')}}`;
  }
  if (typeof body === 'string') {
    try {
      const json = JSON.parse(body);
      if (json && json.jsonrpc) return ` jsonrpc{${json.method ?? 'response'}${json.id !== undefined ? ` #${json.id}` : ''}}`;
      return ` json${body.length > 600 ? `${body.slice(0, 600)}…` : body}`;
    } catch {
      return ` body(${body.length} chars)`;
    }
  }
  return ' body(stream)';
}

function loggingFetch(label) {
  return async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const href = typeof url === 'string' ? url : url.href ?? String(url);
    const headers = new Headers(init.headers ?? {});
    const auth = headers.get('authorization');
    const authNote = auth ? ` [Authorization: ${auth.split(' ')[0]} ${redact(auth.split(' ')[1] ?? '')}]` : '';
    let res;
    try {
      res = await fetch(url, init);
    } catch (err) {
      info(`[${label}] ${method} ${href}${describeBody(href, init)}${authNote} -> network error ${err?.message ?? err}`);
      throw err;
    }
    const entry = { label, method, url: href, status: res.status, body: init.body, authorization: auth ?? undefined };
    httpLog.push(entry);
    const www = res.headers.get('www-authenticate');
    const loc = res.headers.get('location');
    info(`[${label}] ${method} ${href}${describeBody(href, init)}${authNote} -> ${res.status}` +
      `${www ? ` WWW-Authenticate: ${www}` : ''}${loc ? ` Location: ${loc}` : ''}`);
    return res;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// OAuthClientProvider with in-memory storage (what Claude Code / Inspector keep in their config/session storage)
// ---------------------------------------------------------------------------------------------------------------

class InMemoryOAuthClientProvider {
  constructor(redirectUrl, clientMetadata) {
    this._redirectUrl = redirectUrl;
    this._clientMetadata = clientMetadata;
    this._clientInformation = undefined;
    this._tokens = undefined;
    this._codeVerifier = undefined;
    this._discoveryState = undefined;
    this.lastState = undefined;
    this.authorizationUrl = undefined;
    this.tokenSaves = 0;
    this.invalidations = [];
  }

  get redirectUrl() {
    return this._redirectUrl;
  }

  get clientMetadata() {
    return this._clientMetadata;
  }

  state() {
    this.lastState = randomToken(16);
    return this.lastState;
  }

  clientInformation() {
    return this._clientInformation;
  }

  saveClientInformation(clientInformation) {
    this._clientInformation = clientInformation;
    info(`provider.saveClientInformation: client_id=${clientInformation.client_id}` +
      ` token_endpoint_auth_method=${clientInformation.token_endpoint_auth_method ?? '(absent)'}` +
      ` client_secret=${clientInformation.client_secret ? 'present' : 'absent'}` +
      ` redirect_uris=${JSON.stringify(clientInformation.redirect_uris)}` +
      ` grant_types=${JSON.stringify(clientInformation.grant_types)} scope=${clientInformation.scope ?? '(absent)'}`);
  }

  tokens() {
    return this._tokens;
  }

  saveTokens(tokens) {
    this._tokens = tokens;
    this.tokenSaves += 1;
    info(`provider.saveTokens #${this.tokenSaves}: token_type=${tokens.token_type} access_token=${redact(tokens.access_token)}` +
      ` expires_in=${tokens.expires_in ?? '(absent)'} scope=${tokens.scope ?? '(absent)'}` +
      ` refresh_token=${tokens.refresh_token ? redact(tokens.refresh_token) : '(absent)'}`);
  }

  redirectToAuthorization(authorizationUrl) {
    this.authorizationUrl = new URL(authorizationUrl);
    info(`provider.redirectToAuthorization: ${this.authorizationUrl.origin}${this.authorizationUrl.pathname}?…`);
  }

  saveCodeVerifier(codeVerifier) {
    this._codeVerifier = codeVerifier;
  }

  codeVerifier() {
    if (!this._codeVerifier) throw new Error('no code verifier saved');
    return this._codeVerifier;
  }

  saveDiscoveryState(state) {
    this._discoveryState = state;
  }

  discoveryState() {
    return this._discoveryState;
  }

  invalidateCredentials(scope) {
    this.invalidations.push(scope);
    warn(`provider.invalidateCredentials(${scope}) called by the SDK`);
    if (scope === 'all' || scope === 'client') this._clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this._codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this._discoveryState = undefined;
  }

  /** Test hook: make the stored access token worthless so that the next MCP request gets 401 and the SDK refreshes. */
  corruptAccessToken() {
    check(this._tokens, 'no tokens to corrupt');
    this._tokens = { ...this._tokens, access_token: `invalid-${randomToken(24)}` };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal HTML form parsing (no dependencies; good enough for server-rendered login/consent pages)
// ---------------------------------------------------------------------------------------------------------------

const NAMED_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

export function decodeEntities(s) {
  return String(s).replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, ent) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return NAMED_ENTITIES[ent.toLowerCase()] ?? m;
  });
}

export function parseAttributes(s) {
  const attrs = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(s)) !== null) {
    const name = m[1].toLowerCase();
    if (name in attrs) continue; // first one wins, as in browsers
    const raw = m[2] ?? m[3] ?? m[4];
    attrs[name] = raw === undefined ? '' : decodeEntities(raw);
  }
  return attrs;
}

export function parseForms(html, pageUrl) {
  const forms = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const formRe = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi;
  let fm;
  while ((fm = formRe.exec(withoutComments)) !== null) {
    const attrs = parseAttributes(fm[1]);
    const body = fm[2];
    const fields = [];
    const submitters = [];

    const inputRe = /<input\b([^>]*)>/gi;
    let im;
    while ((im = inputRe.exec(body)) !== null) {
      const a = parseAttributes(im[1]);
      const type = (a.type ?? 'text').toLowerCase();
      const control = { tag: 'input', type, name: a.name, value: a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''),
        checked: 'checked' in a, disabled: 'disabled' in a };
      if (type === 'submit' || type === 'image') {
        submitters.push({ ...control, text: a.value ?? '' });
      } else {
        fields.push(control);
      }
    }

    const buttonRe = /<button\b([^>]*)>([\s\S]*?)<\/button\s*>/gi;
    let bm;
    while ((bm = buttonRe.exec(body)) !== null) {
      const a = parseAttributes(bm[1]);
      const type = (a.type ?? 'submit').toLowerCase();
      if (type !== 'submit') continue;
      submitters.push({ tag: 'button', type, name: a.name, value: a.value ?? '', disabled: 'disabled' in a,
        text: decodeEntities(bm[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()) });
    }

    const textareaRe = /<textarea\b([^>]*)>([\s\S]*?)<\/textarea\s*>/gi;
    let tm;
    while ((tm = textareaRe.exec(body)) !== null) {
      const a = parseAttributes(tm[1]);
      fields.push({ tag: 'textarea', type: 'textarea', name: a.name, value: decodeEntities(tm[2]), disabled: 'disabled' in a });
    }

    const selectRe = /<select\b([^>]*)>([\s\S]*?)<\/select\s*>/gi;
    let sm;
    while ((sm = selectRe.exec(body)) !== null) {
      const a = parseAttributes(sm[1]);
      const options = [...sm[2].matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|$)/gi)].map((o) => {
        const oa = parseAttributes(o[1]);
        return { value: oa.value ?? decodeEntities(o[2].replace(/<[^>]+>/g, '').trim()), selected: 'selected' in oa };
      });
      const chosen = options.find((o) => o.selected) ?? options[0];
      fields.push({ tag: 'select', type: 'select', name: a.name, value: chosen?.value ?? '', disabled: 'disabled' in a });
    }

    const action = attrs.action ? new URL(attrs.action, pageUrl) : new URL(pageUrl);
    forms.push({ id: attrs.id, action, method: (attrs.method ?? 'get').toLowerCase(), fields, submitters });
  }
  return forms;
}

function hasField(form, name) {
  return form.fields.some((f) => f.name === name);
}

/** The form data a browser would submit when `submitter` is clicked, with `overrides` typed in. */
export function formData(form, submitter, overrides = {}) {
  const data = new URLSearchParams();
  const overridden = new Set(Object.keys(overrides));
  for (const f of form.fields) {
    if (!f.name || f.disabled || overridden.has(f.name)) continue;
    if ((f.type === 'checkbox' || f.type === 'radio') && !f.checked) continue;
    if (['button', 'reset', 'file'].includes(f.type)) continue;
    data.append(f.name, f.value ?? '');
  }
  for (const [k, v] of Object.entries(overrides)) data.append(k, v);
  if (submitter?.name) data.append(submitter.name, submitter.value ?? '');
  return data;
}

// ---------------------------------------------------------------------------------------------------------------
// A tiny "browser": manual redirects, cookie jar, browser-like headers
// ---------------------------------------------------------------------------------------------------------------

class CookieJar {
  constructor() {
    this.byHost = new Map();
  }

  store(url, response) {
    const host = new URL(url).hostname;
    const jar = this.byHost.get(host) ?? new Map();
    const setCookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.split('=').map((x) => x?.trim());
        if (/^max-age$/i.test(k)) return Number(v) <= 0;
        if (/^expires$/i.test(k)) return Date.parse(v) < Date.now();
        return false;
      });
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.byHost.set(host, jar);
  }

  header(url) {
    const jar = this.byHost.get(new URL(url).hostname);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  names(url) {
    return [...(this.byHost.get(new URL(url).hostname)?.keys() ?? [])];
  }
}

class Browser {
  constructor() {
    this.jar = new CookieJar();
  }

  async request(url, { method = 'GET', body, referer } = {}) {
    const headers = new Headers({
      'User-Agent': USER_AGENT,
      Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      'Accept-Language': 'en',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
      'Sec-Fetch-Site': referer ? (new URL(referer).origin === new URL(url).origin ? 'same-origin' : 'cross-site') : 'none',
      'Sec-Fetch-User': '?1',
      'Upgrade-Insecure-Requests': '1',
    });
    const cookie = this.jar.header(url);
    if (cookie) headers.set('Cookie', cookie);
    if (referer) headers.set('Referer', referer);
    if (method !== 'GET') {
      headers.set('Origin', referer ? new URL(referer).origin : 'null');
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.jar.store(url, res);
    const loc = res.headers.get('location');
    info(`[browser] ${method} ${shortUrl(url)}${body ? ` form{${[...new URLSearchParams(body).keys()].join(',')}}` : ''}` +
      ` -> ${res.status}${loc ? ` Location: ${shortUrl(new URL(loc, url).href)}` : ''}`);
    return res;
  }
}

function shortUrl(href) {
  const u = new URL(href);
  const q = u.search.length > 80 ? `${u.search.slice(0, 80)}…` : u.search;
  return `${u.origin}${u.pathname}${q}`;
}

function isRedirectTarget(href, redirectUrl) {
  const u = new URL(href);
  const r = new URL(redirectUrl);
  return u.origin === r.origin && u.pathname === r.pathname;
}

/** The href of the first {@code <a>} whose text is {@code label}, unescaped; undefined if none. */
function findLink(html, label) {
  const unescape = (v) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/gi)) {
    if (unescape(m[2]).trim() === label) return unescape(m[1]);
  }
  return undefined;
}

/**
 * Plays the user: follows redirects from the authorization URL, logs in, approves consent and returns the URL the
 * authorization server finally redirects to (the client's redirect_uri with code/state/iss), without fetching it.
 */
async function driveBrowser(authorizationUrl, redirectUrl, credentials) {
  const browser = new Browser();
  let url = authorizationUrl.href;
  let method = 'GET';
  let body;
  let referer;
  let loginSubmitted = false;
  let consentSubmitted = false;

  for (let i = 0; i < MAX_BROWSER_STEPS; i++) {
    if (isRedirectTarget(url, redirectUrl)) {
      info(`redirected to the client's redirect_uri; cookies set during the flow: ${browser.jar.names(authorizationUrl).join(', ') || '(none)'}`);
      return new URL(url);
    }
    const res = await browser.request(url, { method, body, referer });
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.get('location');
      await res.body?.cancel();
      check(loc, `HTTP ${res.status} without Location from ${shortUrl(url)}`);
      if (res.status === 307 || res.status === 308) fail(`unexpected ${res.status} (method-preserving) redirect from ${shortUrl(url)}`);
      referer = url;
      url = new URL(loc, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    check(/html/i.test(contentType), `expected an HTML page from ${shortUrl(url)}, got HTTP ${res.status} ${contentType}: ${text.slice(0, 300)}`);
    const forms = parseForms(text, url);

    if (credentials.upstream) {
      // --upstream=<label>: sign in at the upstream OpenID provider the page offers, never with the password form
      const link = findLink(text, `Sign in with ${credentials.upstream}`);
      if (link) {
        check(!credentials.upstreamFollowed, `the "Sign in with ${credentials.upstream}" page came back: ${describePage(text)}`);
        info(`upstream sign-in link recognized; following it to ${shortUrl(new URL(link, url).href)}`);
        credentials.upstreamFollowed = true;
        referer = url;
        url = new URL(link, url).href;
        method = 'GET';
        body = undefined;
        continue;
      }
    }

    const login = forms.find(isLoginForm);
    if (login) {
      check(!credentials.upstream, `--upstream=${credentials.upstream} but the page offers no such link: ${describePage(text)}`);
      check(!loginSubmitted, `the login page came back after submitting credentials (rejected?): ${describePage(text)}`);
      check(login.method === 'post', `login form should use POST, uses ${login.method}`);
      const submitter = login.submitters[0];
      const data = formData(login, submitter, loginValues(login, credentials));
      info(`login page recognized (HTTP ${res.status}); submitting to ${shortUrl(login.action.href)}` +
        ` with fields ${[...data.keys()].join(', ')}`);
      loginSubmitted = true;
      referer = url;
      url = login.action.href;
      method = 'POST';
      body = data.toString();
      continue;
    }

    const consent = forms.map((f) => [f, consentApproveButton(f)]).find(([, b]) => b);
    if (consent) {
      const [form, approve] = consent;
      check(!consentSubmitted, `the consent page came back after approving: ${describePage(text)}`);
      check(form.method === 'post', `consent form should use POST, uses ${form.method}`);
      const data = formData(form, approve, consentValues(form));
      info(`consent page recognized (HTTP ${res.status}); clicking ${approve.name ?? '(unnamed)'}=${approve.value ?? ''}` +
        ` ("${approve.text}") -> ${shortUrl(form.action.href)} with fields ${[...data.keys()].join(', ')}`);
      consentSubmitted = true;
      referer = url;
      url = form.action.href;
      method = 'POST';
      body = data.toString();
      continue;
    }

    fail(`unrecognized page at ${shortUrl(url)} (HTTP ${res.status}, ${forms.length} form(s)): ${describePage(text)}`);
  }
  fail(`no redirect to ${redirectUrl} after ${MAX_BROWSER_STEPS} steps`);
}

// ---------------------------------------------------------------------------------------------------------------
// MCP helpers
// ---------------------------------------------------------------------------------------------------------------

function newClient() {
  return new Client({ name: 'mcp-oauth-interop', version: '0.0.0' }, { capabilities: {} });
}

function toolText(result) {
  check(result && Array.isArray(result.content), `tool result has no content: ${JSON.stringify(result)}`);
  check(!result.isError, `tool returned isError: ${JSON.stringify(result.content)}`);
  const text = result.content.find((c) => c.type === 'text')?.text;
  check(typeof text === 'string', `tool result has no text content: ${JSON.stringify(result.content)}`);
  return text;
}

async function listAndCheckTools(client) {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  info(`tools: ${names.join(', ')}`);
  check(names.includes('whoami'), 'tool "whoami" missing');
  check(names.includes('echo'), 'tool "echo" missing');
}

async function whoami(client) {
  const text = toolText(await client.callTool({ name: 'whoami', arguments: {} }));
  info(`whoami -> ${JSON.stringify(text)}`);
  return text;
}

async function echo(client, message) {
  const text = toolText(await client.callTool({ name: 'echo', arguments: { message } }));
  info(`echo -> ${JSON.stringify(text)}`);
  check(text === message, `echo returned ${JSON.stringify(text)}, expected ${JSON.stringify(message)}`);
}

/** A token request outside the SDK (used for negative checks), with the registered client authentication. */
async function postToken(tokenEndpoint, clientInformation, params) {
  const body = new URLSearchParams(params);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const method = clientInformation.token_endpoint_auth_method ?? (clientInformation.client_secret ? 'client_secret_basic' : 'none');
  if (method === 'client_secret_basic' && clientInformation.client_secret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientInformation.client_id)}:${encodeURIComponent(clientInformation.client_secret)}`).toString('base64')}`;
  } else {
    body.set('client_id', clientInformation.client_id);
    if (clientInformation.client_secret) body.set('client_secret', clientInformation.client_secret);
  }
  const res = await loggingFetch('check')(tokenEndpoint, { method: 'POST', headers, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function closeQuietly(client, transport) {
  try {
    await transport.terminateSession();
  } catch (err) {
    info(`(terminateSession: ${err?.message ?? err})`);
  }
  try {
    await client.close();
  } catch {
    // ignore
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The flows
// ---------------------------------------------------------------------------------------------------------------

async function probe(mcpUrl) {
  step(`Probe: unauthenticated initialize POST to ${mcpUrl.href}`);
  const res = await fetch(mcpUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0', id: 0, method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'interop-probe', version: '0' } },
    }),
  });
  const www = res.headers.get('www-authenticate');
  info(`HTTP ${res.status}${www ? `, WWW-Authenticate: ${www}` : ''}`);
  const sessionId = res.headers.get('mcp-session-id');
  await res.body?.cancel();
  if (sessionId) {
    await fetch(mcpUrl, { method: 'DELETE', headers: { 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION } })
      .then((r) => r.body?.cancel())
      .catch(() => {});
  }
  return { status: res.status, wwwAuthenticate: www };
}

async function noAuthPath(mcpUrl) {
  console.log('\nINTEROP PATH: no-auth (the MCP endpoint did not answer 401; OAuth wiring not installed yet)');
  step('Connect (initialize) without credentials');
  const transport = new StreamableHTTPClientTransport(mcpUrl, { fetch: loggingFetch('sdk') });
  const client = newClient();
  await client.connect(transport);
  info(`connected: server=${JSON.stringify(client.getServerVersion())} session=${transport.sessionId}`);

  step('tools/list');
  await listAndCheckTools(client);

  step('tools/call echo');
  await echo(client, 'hello from the MCP TypeScript SDK');

  step('tools/call whoami (expect anonymous)');
  const me = await whoami(client);
  check(me === 'anonymous', `whoami without authentication should be "anonymous", got ${JSON.stringify(me)}`);

  await closeQuietly(client, transport);
  return 'no-auth';
}

async function oauthPath(mcpUrl, probeResult, credentials) {
  console.log('\nINTEROP PATH: oauth');
  if (!probeResult.wwwAuthenticate || !/resource_metadata=/i.test(probeResult.wwwAuthenticate)) {
    warn('401 without WWW-Authenticate resource_metadata; the SDK falls back to /.well-known/oauth-protected-resource probing');
  }

  const redirectUrl = process.env.INTEROP_REDIRECT_URL ||
    `http://127.0.0.1:${49152 + Math.floor(Math.random() * 16000)}/callback`;
  const clientMetadata = {
    client_name: 'mcp-oauth interop (MCP TypeScript SDK)',
    redirect_uris: [redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: process.env.INTEROP_CLIENT_AUTH_METHOD || 'none',
    ...(process.env.INTEROP_CLIENT_SCOPE ? { scope: process.env.INTEROP_CLIENT_SCOPE } : {}),
  };
  const provider = new InMemoryOAuthClientProvider(redirectUrl, clientMetadata);

  step('Connect with an OAuthClientProvider: expect discovery, registration and UnauthorizedError');
  info(`redirectUrl=${redirectUrl} client metadata=${JSON.stringify(clientMetadata)}`);
  const transport1 = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: loggingFetch('sdk') });
  const client1 = newClient();
  try {
    await client1.connect(transport1);
    fail('connect succeeded without authorization although the probe got 401');
  } catch (err) {
    if (err instanceof InteropFailure) throw err;
    check(err instanceof UnauthorizedError, `expected UnauthorizedError, got ${err?.constructor?.name}: ${err?.message ?? err}`);
    info(`got UnauthorizedError: ${err.message}`);
  }
  check(provider.authorizationUrl, 'the SDK did not call redirectToAuthorization');
  check(provider.clientInformation()?.client_id, 'no client registered');

  step('Check the authorization request the SDK built');
  const authUrl = provider.authorizationUrl;
  const p = authUrl.searchParams;
  for (const [k, v] of p) info(`  ${k}=${k === 'code_challenge' ? redact(v) : v}`);
  check(p.get('response_type') === 'code', 'response_type must be code');
  check(p.get('code_challenge_method') === 'S256', 'code_challenge_method must be S256');
  check(p.get('code_challenge'), 'code_challenge missing');
  check(p.get('client_id') === provider.clientInformation().client_id, 'client_id mismatch');
  check(p.get('redirect_uri') === redirectUrl, `redirect_uri ${p.get('redirect_uri')} != ${redirectUrl}`);
  check(p.get('state') && p.get('state') === provider.lastState, 'state missing or not the provider state');
  if (!p.get('resource')) warn('no resource parameter (the SDK only sends it when protected resource metadata was found)');
  const discovered = provider.discoveryState();
  const asIssuer = discovered?.authorizationServerMetadata?.issuer;
  info(`authorization server: ${discovered?.authorizationServerUrl} (metadata issuer ${asIssuer ?? 'unknown'})` +
    `; protected resource: ${discovered?.resourceMetadata?.resource ?? '(no PRM)'}`);

  step('Browser: authorization endpoint -> login -> consent -> redirect to the client');
  const callback = await driveBrowser(authUrl, redirectUrl, credentials);
  const cb = callback.searchParams;
  info(`callback params: ${[...cb.keys()].join(', ')}`);
  check(!cb.get('error'), `authorization error: ${cb.get('error')} ${cb.get('error_description') ?? ''}`);
  const code = cb.get('code');
  check(code, 'no code in the redirect');
  check(cb.get('state') === provider.lastState, `state mismatch: got ${cb.get('state')}, sent ${provider.lastState}`);
  check(cb.get('iss'), 'no iss in the redirect (RFC 9207)');
  if (asIssuer) check(cb.get('iss') === asIssuer, `iss ${cb.get('iss')} != metadata issuer ${asIssuer}`);
  info(`code=${redact(code)} state ok, iss=${cb.get('iss')}`);

  step('transport.finishAuth(code): token exchange');
  await transport1.finishAuth(code);
  const firstTokens = provider.tokens();
  check(firstTokens?.access_token, 'no access token after finishAuth');
  check(/^bearer$/i.test(firstTokens.token_type), `token_type ${firstTokens.token_type} is not Bearer`);
  check(firstTokens.refresh_token, 'no refresh token issued (grant_types included refresh_token)');
  await client1.close().catch(() => {});

  step('Reconnect with the access token: initialize');
  const transport2 = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: loggingFetch('sdk') });
  const client2 = newClient();
  await client2.connect(transport2);
  info(`connected: server=${JSON.stringify(client2.getServerVersion())} session=${transport2.sessionId}`);

  step('tools/list');
  await listAndCheckTools(client2);

  step('tools/call whoami');
  const me = await whoami(client2);
  const expected = credentials.expectSubject ?? credentials.username;
  if (credentials.upstream) check(credentials.upstreamFollowed, 'the upstream sign-in link was never followed');
  check(me === expected, `whoami returned ${JSON.stringify(me)}, expected ${JSON.stringify(expected)}`);

  step('tools/call echo');
  await echo(client2, 'hello through OAuth');

  step('Force a refresh: invalidate the stored access token, call whoami again (expect 401 -> refresh_token grant -> retry)');
  const savesBefore = provider.tokenSaves;
  const logBefore = httpLog.length;
  provider.corruptAccessToken();
  const me2 = await whoami(client2);
  check(me2 === expected, `whoami after refresh returned ${JSON.stringify(me2)}`);
  const refreshCalls = httpLog.slice(logBefore).filter((e) => e.body instanceof URLSearchParams &&
    new URLSearchParams(e.body).get('grant_type') === 'refresh_token');
  check(refreshCalls.length === 1, `expected exactly one refresh_token grant, saw ${refreshCalls.length}`);
  check(refreshCalls[0].status === 200, `refresh_token grant answered ${refreshCalls[0].status}`);
  check(provider.tokenSaves === savesBefore + 1, 'the SDK did not save refreshed tokens');
  const refreshed = provider.tokens();
  check(refreshed.access_token !== firstTokens.access_token, 'refresh returned the same access token');
  info(`refresh token ${refreshed.refresh_token && refreshed.refresh_token !== firstTokens.refresh_token ? 'rotated' : 'NOT rotated (OAuth 2.1 expects rotation or sender-constraining for public clients)'}`);

  await closeQuietly(client2, transport2);

  if (refreshed.refresh_token && refreshed.refresh_token !== firstTokens.refresh_token) {
    step('Replay the rotated-out refresh token directly at the token endpoint (expect invalid_grant)');
    const tokenEndpoint = discovered?.authorizationServerMetadata?.token_endpoint;
    check(tokenEndpoint, 'token_endpoint unknown');
    const replay = await postToken(tokenEndpoint, provider.clientInformation(), {
      grant_type: 'refresh_token', refresh_token: firstTokens.refresh_token,
    });
    check(replay.status === 400 && replay.json?.error === 'invalid_grant',
      `replayed refresh token: expected 400 invalid_grant, got ${replay.status} ${JSON.stringify(replay.json)}`);
  }
  if (provider.invalidations.length) info(`SDK invalidations during the run: ${provider.invalidations.join(', ')}`);
  return 'oauth';
}

// Machine path: client_credentials with the SDK's own providers, no browser, no registration.
async function machinePath(mcpUrl, issuer) {
  const method = process.env.INTEROP_MACHINE_AUTH ?? 'client_secret_basic';
  const clientId = process.env.INTEROP_MACHINE_CLIENT_ID;
  check(clientId, 'INTEROP_MACHINE_CLIENT_ID is required with --machine');
  console.log(`\nINTEROP PATH: machine (${method}, client ${clientId})`);
  let provider;
  if (method === 'client_secret_basic') {
    const clientSecret = process.env.INTEROP_MACHINE_CLIENT_SECRET;
    check(clientSecret, 'INTEROP_MACHINE_CLIENT_SECRET is required for client_secret_basic');
    provider = new ClientCredentialsProvider({ clientId, clientSecret, expectedIssuer: issuer });
  } else if (method === 'private_key_jwt') {
    const jwk = JSON.parse(process.env.INTEROP_MACHINE_PRIVATE_JWK ?? 'null');
    check(jwk, 'INTEROP_MACHINE_PRIVATE_JWK is required for private_key_jwt');
    provider = new PrivateKeyJwtProvider({ clientId, privateKey: jwk, algorithm: 'ES256', expectedIssuer: issuer });
  } else {
    fail(`unknown INTEROP_MACHINE_AUTH ${method}`);
  }
  step('Connect: 401, discovery, client_credentials token, retry');
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: loggingFetch('sdk') });
  const client = newClient();
  await client.connect(transport);
  const tokens = provider.tokens();
  check(tokens?.access_token, 'no access token after connecting');
  check(!tokens.refresh_token, 'client_credentials must not issue a refresh token');
  info(`token_type=${tokens.token_type} scope=${tokens.scope ?? '(none)'}`);

  step('tools/list');
  await listAndCheckTools(client);

  step('tools/call whoami (expect the client id)');
  const me = await whoami(client);
  check(me.includes(clientId), `whoami should name ${clientId}, got ${JSON.stringify(me)}`);

  await closeQuietly(client, transport);
  return `machine-${method}`;
}

async function main() {
  const args = process.argv.slice(2);
  const requireOauth = args.includes('--require-oauth') || process.env.INTEROP_REQUIRE_OAUTH === '1';
  const positional = args.filter((a) => !a.startsWith('--'));
  // --upstream=<label>: sign in through the page's "Sign in with <label>" link (an upstream OpenID provider)
  // instead of the password form; --expect-subject=<s>: the subject whoami must report (default: the username)
  const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const upstream = option('upstream');
  const expectSubject = option('expect-subject');
  if (positional.length !== 3) {
    console.error('usage: node oauth-flow.mjs <baseUrl> <username> <password> [--require-oauth]');
    process.exit(2);
  }
  const [baseUrl, username, password] = positional;
  const base = new URL(baseUrl);
  const mcpUrl = new URL(`${base.href.replace(/\/+$/, '')}/mcp`);

  const timeoutMs = Number(process.env.INTEROP_TIMEOUT_MS || 120000);
  setTimeout(() => {
    console.error(`\nINTEROP RESULT: FAIL timeout after ${timeoutMs} ms`);
    process.exit(1);
  }, timeoutMs).unref();

  console.log(`mcp-oauth interop: node ${process.version}, @modelcontextprotocol/sdk ${sdkVersion()}, protocol ${LATEST_PROTOCOL_VERSION}`);
  console.log(`server ${mcpUrl.href}, user ${username}${requireOauth ? ', OAuth required' : ''}`);

  const probeResult = await probe(mcpUrl);
  let path;
  if (args.includes('--machine')) {
    check(probeResult.status === 401, `machine mode needs a protected endpoint; it answered ${probeResult.status}`);
    path = await machinePath(mcpUrl, base.href.replace(/\/+$/, ''));
  } else if (probeResult.status === 401) {
    path = await oauthPath(mcpUrl, probeResult, { username, password, upstream, expectSubject });
  } else {
    check(!requireOauth, `OAuth required but the MCP endpoint answered ${probeResult.status} instead of 401`);
    check(probeResult.status >= 200 && probeResult.status < 300, `unexpected probe status ${probeResult.status}`);
    path = await noAuthPath(mcpUrl);
  }
  console.log(`\nINTEROP RESULT: PASS path=${path}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`\nINTEROP RESULT: FAIL ${err instanceof InteropFailure ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  },
);
