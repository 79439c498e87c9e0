// The privacy administration in a real browser (issue 9): playwright-core
// driving Debian's chromium against `blindspot serve` on a throwaway SQLite
// database. A privacy officer logs in with a TOTP code, imports the example
// register, runs an audit through the page and assigns the Meta Pixel (whose
// questions the example leaves open: rule BS013) to a business owner; the
// business owner answers the seven questions from "my questions" and sends
// them for approval; an approver approves; the officer audits again and the
// BS013 findings of the touchpoint are gone. Then the same in Dutch, each
// user switching the language in the page.
//
// Usage: node tests/browser/flow.mjs PATH_TO_BLINDSPOT
// Exit codes: 0 passed, 1 failed, 77 skipped (no chromium or playwright-core
// outside CI; under CI (env CI) a missing part is a failure).
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const chromiumPath = process.env.BLINDSPOT_CHROMIUM || '/usr/bin/chromium';

function missing(what) {
  if (process.env.CI) {
    console.error(`browser test: ${what} (required under CI)`);
    process.exit(1);
  }
  console.error(`browser test skipped: ${what}`);
  process.exit(77);
}

const blindspot = process.argv[2];
if (!blindspot || !existsSync(blindspot)) {
  console.error('usage: node tests/browser/flow.mjs PATH_TO_BLINDSPOT');
  process.exit(1);
}
if (!existsSync(chromiumPath)) missing(`no chromium at ${chromiumPath} (apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  missing(`playwright-core is not installed (run scripts/setup.sh, or npm ci in tests/browser): ${e.message}`);
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) ----
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) continue;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}
// The server accepts the current step and its neighbours, each code only
// once: a second login within the same 30 s uses the next step, a third waits
// for the clock to move on.
const lastStep = new Map();
async function nextCode(secret) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30);
    const last = lastStep.get(secret) ?? -1;
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      lastStep.set(secret, step);
      return totp(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ---- the server and the CLI ----
const tmp = mkdtempSync(join(tmpdir(), 'blindspot-browser-'));
const db = join(tmp, 't.db');
const password = 'a long password for the browser test';

function cli(args, input) {
  return execFileSync(blindspot, args, { input: input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
function addUser(org, email, role) {
  const out = cli(['user', 'add', '--db', db, '--org', org, '--email', email, '--role', role, '--password-stdin'],
                  password + '\n');
  const m = out.match(/totp-secret\s+([A-Z2-7=]+)/);
  return m ? m[1] : '';
}

let server;
let browser;
let failed = false;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

async function startServer() {
  server = spawn(blindspot, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => process.stderr.write(`[serve] ${d}`));
  return await new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error('blindspot serve did not print its address within 30 s')), 30000);
    server.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        const m = buf.slice(0, nl).match(/^listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (!m) rej(new Error(`unexpected first line from serve: ${buf.slice(0, nl)}`));
        else res(m[1]);
      }
    });
    server.on('exit', (code) => rej(new Error(`blindspot serve exited with ${code}`)));
  });
}

async function api(base, token, method, path, body, type) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(type ? { 'Content-Type': type } : {}),
      // An import names the register version it replaces: * (whatever is there) for this fresh one.
      ...(method === 'PUT' && path.endsWith('/register') ? { 'If-Match': '*' } : {}),
    },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

// ---- the flow, once per language ----
async function flow(base, lang, users) {
  const { org, po, bo, ap } = users;
  const orgBase = `${base}/orgs/${org}`;
  const record = `${orgBase}/records/touchpoint/meta-pixel`;
  const bs013 = 'li.finding[data-rule="BS013-touchpoint-question-unanswered"][data-subject="meta-pixel"]';
  const dutch = lang === 'nl';
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);

  async function login(user) {
    await page.goto(`${base}/login`);
    await page.fill('input[name=email]', user.email);
    await page.fill('input[name=password]', password);
    if (user.secret) await page.fill('input[name=totp]', await nextCode(user.secret));
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/login"] button[type=submit]')]);
    check(page.url() === `${base}/`, `${lang}: ${user.email} logged in`);
    if (dutch) {
      // The language switch in the page header (a form; no script needed).
      await page.selectOption('form.lang select[name=lang]', 'nl');
      await Promise.all([page.waitForLoadState('load'), page.click('form.lang button[type=submit]')]);
      check((await page.getAttribute('html', 'lang')) === 'nl', `${lang}: ${user.email} switched to Dutch`);
      check((await page.textContent('h1')).includes('Je organisaties'), `${lang}: home page in Dutch`);
    }
  }
  async function logout() {
    await Promise.all([page.waitForURL(/\/login/), page.click('form.logout button[type=submit]')]);
  }
  async function submitAndWait(selector) {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }
  async function runAudit() {
    await page.goto(`${orgBase}/audits`);
    await page.setInputFiles('input[name=har]', [
      join(root, 'examples/webshop/har/home.har'),
      join(root, 'examples/webshop/har/checkout.har'),
    ]);
    await submitAndWait('form[enctype="multipart/form-data"] button[type=submit]');
    check(page.url().includes('/audits?done=1'), `${lang}: audit ran through the page`);
  }

  // The privacy officer: audit, then assign the Meta Pixel to the business owner.
  await login(po);
  await runAudit();
  check((await page.locator(bs013).count()) > 0, `${lang}: BS013 reported for the Meta Pixel`);
  // Its blind spots became draft touchpoints for owners (issue 11): linked
  // from the audit, each page shows what was seen and asks the owner.
  const drafted = page.locator('section.drafted a');
  check((await drafted.count()) > 0, `${lang}: the audit's blind spots became draft touchpoints`);
  const draftUrl = await drafted.first().getAttribute('href');
  await page.goto(`${base}${draftUrl}`);
  check((await page.locator('section.discovered table.seen tbody tr').count()) > 0,
        `${lang}: the draft shows what the audit saw`);
  await page.goto(`${orgBase}/audits`);
  if (dutch) check((await page.textContent('main')).includes('Wat er moet veranderen'), `${lang}: audits page in Dutch`);
  await page.click(`${bs013} a[href$="/records/touchpoint/meta-pixel"] >> nth=0`);
  await page.waitForURL(record);
  await page.selectOption('section.assign select[name=owner]', bo.email);
  await page.fill('section.assign input[name=due]', '2030-06-30');
  await submitAndWait('section.assign button[type=submit]');
  check((await page.textContent('dl.facts')).includes(bo.email), `${lang}: assigned to the business owner`);
  await logout();

  // The business owner: "my questions", the seven answers, send for approval.
  await login(bo);
  await page.goto(orgBase);
  await page.click(`nav.main a[href="/orgs/${org}/my"]`);
  await page.waitForURL(`${orgBase}/my`);
  const my = await page.textContent('main');
  check(my.includes('Meta Pixel') && my.includes('2030-06-30'), `${lang}: the touchpoint is among my questions`);
  if (dutch) check(my.includes('Mijn vragen'), `${lang}: "Mijn vragen" in Dutch`);
  await page.click('table.records a[href$="/records/touchpoint/meta-pixel"]');
  await page.waitForURL(record);
  const form = await page.textContent('section.questions');
  if (dutch) {
    check(form.includes('Gebruiken we dit?') && form.includes('Hoe worden de gegevens beveiligd?'),
          `${lang}: the questions in Dutch`);
  } else {
    check(form.includes('Do we use this?') && form.includes('How is the data protected?'), `${lang}: the questions`);
  }
  const q = 'section.questions';
  await page.check(`${q} input[name=in_use][value=yes]`);
  await page.fill(`${q} input[name=in_use_since]`, '2023-09-01');
  await page.check(`${q} input[name=stored_by_us][value=no]`);
  await page.check(`${q} input[name=stored_by_vendor][value=yes]`);
  await page.fill(`${q} input[name=stored_by_vendor_details]`, 'Meta, 2 years');
  await page.fill(`${q} input[name=informed_statement]`, 'https://www.fietshuis-zonnepad.nl/privacy');
  await page.fill(`${q} input[name=informed_section]`, '6. Cookies and advertising');
  await page.check(`${q} input[name=data_collected][value="user.contact.email"]`);
  await page.selectOption(`${q} select[name=lawful_basis]`, 'consent');
  await page.fill(`${q} textarea[name=necessity]`, 'Measuring which ads lead to sales');
  await page.fill(`${q} textarea[name=subsidiarity]`, 'Contextual ads did not reach returning customers');
  await page.fill(`${q} textarea[name=proportionality]`, 'Only after consent in the banner');
  await page.fill(`${q} textarea[name=security_measures]`, 'consent_management\ntwo-factor login for the ads account');
  await page.fill(`${q} input[name=reason]`, 'answered by marketing');
  await submitAndWait(`${q} button[type=submit]`);
  check(page.url().endsWith('?saved=1'), `${lang}: answers saved`);
  check((await page.textContent('section.questions h2')).includes('7/7'), `${lang}: all seven answered`);
  const submit = 'section.workflow button[value=submit]';
  if (dutch) check((await page.textContent(submit)).includes('Ter goedkeuring aanbieden'), `${lang}: Dutch button`);
  await submitAndWait(submit);
  check((await page.textContent('main')).includes(dutch ? 'wacht op goedkeuring' : 'waiting for approval'),
        `${lang}: waiting for approval`);
  await logout();

  // The approver (not the author of the version) approves.
  await login(ap);
  await page.goto(record);
  const approve = 'section.workflow button[value=approve]';
  if (dutch) check((await page.textContent(approve)).includes('Goedkeuren'), `${lang}: Dutch approve button`);
  await page.fill('section.workflow input[name=reason]', 'checked');
  await submitAndWait(approve);
  check((await page.textContent('main')).includes(dutch ? 'goedgekeurd' : 'approved'), `${lang}: approved`);
  await logout();

  // The privacy officer audits again: the BS013 findings of the Meta Pixel are gone.
  await login(po);
  await runAudit();
  check((await page.locator('li.finding').count()) > 0, `${lang}: the audit still reports other findings`);
  check((await page.locator(bs013).count()) === 0, `${lang}: BS013 for the Meta Pixel is gone`);
  await logout();
  await context.close();
}

try {
  const orgs = [];
  for (const [name, lang] of [['Fietshuis Zonnepad B.V.', 'en'], ['Fietshuis Zonnepad Utrecht B.V.', 'nl']]) {
    const org = cli(['org', 'add', '--db', db, '--name', name]).trim().split('\n').pop().trim();
    orgs.push({ org, lang });
  }
  const secrets = {};
  for (const { org } of orgs) {
    for (const [email, role] of [['po@example.nl', 'privacy_officer'], ['bo@example.nl', 'business_owner'],
                                 ['ap@example.nl', 'approver']]) {
      const s = addUser(org, email, role);
      if (s) secrets[email] = s;
    }
  }
  check(!!secrets['po@example.nl'], 'the privacy officer got a TOTP secret');
  const base = await startServer();
  for (const o of orgs) {
    o.token = cli(['token', 'add', '--db', db, '--org', o.org, '--email', 'po@example.nl', '--name', 'browser-test'])
                  .trim().split('\n').pop().trim();
    await api(base, o.token, 'PUT', `/api/v1/orgs/${o.org}/register`,
              readFileSync(join(root, 'examples/webshop/register.yaml')), 'application/yaml');
  }
  check(true, 'the example register imported through the API');
  const args = ['--headless=new', '--disable-gpu', '--disable-dev-shm-usage'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  browser = await chromium.launch({ executablePath: chromiumPath, args, headless: true });
  for (const o of orgs) {
    await flow(base, o.lang, {
      org: o.org,
      po: { email: 'po@example.nl', secret: secrets['po@example.nl'] },
      bo: { email: 'bo@example.nl', secret: secrets['bo@example.nl'] },
      ap: { email: 'ap@example.nl', secret: secrets['ap@example.nl'] },
    });
  }
  console.log('browser test passed');
} catch (e) {
  failed = true;
  console.error(`browser test FAILED: ${e.stack || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
