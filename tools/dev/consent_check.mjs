// Development check (never shipped, no npm packages): proves that the consent
// driver (src/scan/consent.*) and the embedded autoconsent page script work in
// Debian's real chromium, over the same DevTools pipe the scanner uses.
//
//   node tools/dev/consent_check.mjs BUILD_DIR PAGE ACTION
//   e.g. node tools/dev/consent_check.mjs build/release onetrust reject
//
// Serves tools/dev/consent_pages/PAGE.html on 127.0.0.1, starts
// `chromium --headless --remote-debugging-pipe` with a fresh profile, does what
// the scanner will do (Runtime.addBinding, Page.addScriptToEvaluateOnNewDocument
// with the driver's PageScript, forward Runtime.bindingCalled, answer
// evaluations with Runtime.evaluate in the calling context), and relays every
// binding call to BUILD_DIR/src/consent_bridge (the C++ driver). Prints the
// driver's outcome and what the page saw (clicked buttons, cookies) as JSON.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const [buildDir, pageName, action] = process.argv.slice(2);
if (!buildDir || !pageName || !action) {
  console.error('usage: node tools/dev/consent_check.mjs BUILD_DIR PAGE none|reject|accept');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const html = readFileSync(join(here, 'consent_pages', `${pageName}.html`));
const deadlineMs = 30000;

// The C++ driver, one JSON line each way.
const bridge = spawn(join(buildDir, 'src', 'consent_bridge'), [action], { stdio: ['pipe', 'pipe', 'inherit'] });
const bridgeLines = createInterface({ input: bridge.stdout })[Symbol.asyncIterator]();
const toBridge = (obj) => bridge.stdin.write(JSON.stringify(obj) + '\n');
const fromBridge = async () => JSON.parse((await bridgeLines.next()).value);

// The stand-in site.
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(req.url === '/' ? html : '<!doctype html><p>other page</p>');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

// Chromium over the pipe: fd 3 in, fd 4 out, messages end with NUL.
const profile = mkdtempSync(join(tmpdir(), 'bs-consent-'));
const chromium = spawn(
  '/usr/bin/chromium',
  ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
  // Its own process group, so that ending it ends its renderers too.
  { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true },
);
const cdpOut = chromium.stdio[3];
const cdpIn = chromium.stdio[4];
let nextId = 1;
const pending = new Map();
const events = [];
let wake = null;
let buffer = Buffer.alloc(0);
cdpIn.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const msg = JSON.parse(buffer.subarray(0, end).toString('utf8'));
    buffer = buffer.subarray(end + 1);
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    } else if (msg.method) {
      events.push(msg);
      if (wake) wake();
    }
  }
});
const send = (method, params = {}, sessionId) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    cdpOut.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  });

const finish = async (code) => {
  const exited = new Promise((r) => chromium.once('exit', r));
  try {
    process.kill(-chromium.pid, 'SIGKILL');
  } catch {
    chromium.kill('SIGKILL');
  }
  bridge.kill('SIGKILL');
  server.close();
  await exited;
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  process.exit(code);
};

try {
  toBridge({ script: true });
  const { script } = await fromBridge();
  const { result: target } = await send('Target.createTarget', { url: 'about:blank' });
  const { result: attached } = await send('Target.attachToTarget', { targetId: target.targetId, flatten: true });
  const session = attached.sessionId;
  await send('Runtime.enable', {}, session);
  await send('Page.enable', {}, session);
  await send('Runtime.addBinding', { name: 'autoconsentSendMessage' }, session);
  await send('Page.addScriptToEvaluateOnNewDocument', { source: script }, session);
  await send('Page.navigate', { url }, session);

  const messages = [];
  const start = Date.now();
  let finished = false;
  while (!finished && Date.now() - start < deadlineMs) {
    if (events.length === 0) {
      await new Promise((r) => {
        wake = r;
        setTimeout(r, 250);
      });
      wake = null;
      toBridge({ poll: true });
      finished = (await fromBridge()).finished;
      continue;
    }
    const ev = events.shift();
    if (ev.method !== 'Runtime.bindingCalled' || ev.params.name !== 'autoconsentSendMessage') continue;
    const m = JSON.parse(ev.params.payload);
    if (m.type === 'report') messages.push(`report:${m.mainFrame ? 'main' : 'frame'}:${m.state.lifecycle}`);
    else messages.push(m.type + (m.cmp ? `:${m.cmp}` : '') + ('result' in m ? `=${m.result}` : ''));
    toBridge({ binding: ev.params.payload, context: ev.params.executionContextId });
    for (;;) {
      const line = await fromBridge();
      if ('finished' in line) {
        finished = line.finished;
        break;
      }
      const r = await send(
        'Runtime.evaluate',
        { expression: line.evaluate, contextId: line.context || undefined, returnByValue: true, awaitPromise: true },
        session,
      );
      if (r.error || r.result.exceptionDetails) toBridge({ error: JSON.stringify(r.error || r.result.exceptionDetails.text) });
      else toBridge({ result: r.result.result.value ?? null });
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  const seen = await send(
    'Runtime.evaluate',
    { expression: 'JSON.stringify({clicked: window.clicked, cookies: document.cookie})', returnByValue: true },
    session,
  );
  toBridge({ outcome: true });
  const { outcome } = await fromBridge();
  const versionInfo = await send('Browser.getVersion');
  console.log(
    JSON.stringify(
      {
        browser: versionInfo.result.product,
        page: pageName,
        finished,
        seconds: (Date.now() - start) / 1000,
        messages,
        page_saw: JSON.parse(seen.result.result.value),
        outcome,
      },
      null,
      2,
    ),
  );
  await finish(finished ? 0 : 1);
} catch (e) {
  console.error(e);
  await finish(3);
}
