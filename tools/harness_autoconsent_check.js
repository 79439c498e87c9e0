// Checks by hand (not part of the build or the tests) that @duckduckgo/autoconsent
// finds and operates the shop's consent banner on the webharness, in Debian's
// chromium over the DevTools pipe, as the scanner will. Needs node and an
// unpacked autoconsent package (cd /tmp && npm pack @duckduckgo/autoconsent &&
// tar xzf duckduckgo-autoconsent-*.tgz):
//   node tools/harness_autoconsent_check.js AUTOCONSENT_DIR optOut|optIn URL BROWSER_ARG...
// Prints the autoconsent messages, the requests to other hosts and the cookies.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const [dir, action, url, ...browserArgs] = process.argv.slice(2);
const bundle = fs.readFileSync(path.join(dir, 'dist/autoconsent.playwright.js'), 'utf8');
const rules = JSON.parse(fs.readFileSync(path.join(dir, 'rules/rules.json'), 'utf8'));
const profile = fs.mkdtempSync('/tmp/accheck-');
const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, ...browserArgs, 'about:blank'],
  { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const out = chrome.stdio[3], inp = chrome.stdio[4];
let nextId = 1, buf = '';
const pending = new Map();
function send(method, params = {}, sessionId) {
  const id = nextId++;
  out.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((res) => pending.set(id, res));
}
const handlers = [];
inp.on('data', (d) => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result || msg.error); pending.delete(msg.id); }
    else handlers.forEach((h) => h(msg));
  }
});
(async () => {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => send(m, p, sessionId);
  const host = new URL(url).hostname;
  handlers.push(async (msg) => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === 'Network.requestWillBeSent') {
      const u = new URL(msg.params.request.url);
      if (u.hostname !== host) console.log('request', msg.params.request.method, msg.params.request.url.slice(0, 160));
    }
    if (msg.method !== 'Runtime.bindingCalled') return;
    const m = JSON.parse(msg.params.payload);
    if (m.type !== 'report') console.log('autoconsent', JSON.stringify(m).slice(0, 200));
    const reply = (o) => s('Runtime.evaluate', { expression: `autoconsentReceiveMessage(${JSON.stringify(o)})` });
    if (m.type === 'init') {
      reply({ type: 'initResp', rules: { autoconsent: rules.autoconsent || [] },
              config: { enabled: true, autoAction: action, disabledCmps: [], enablePrehide: false, detectRetries: 20,
                        enableCosmeticRules: false, enableHeuristicDetection: false, logs: {} } });
    } else if (m.type === 'eval') {
      const r = await s('Runtime.evaluate', { expression: m.code, returnByValue: true });
      reply({ id: m.id, type: 'evalResp', result: r.result ? r.result.value : false });
    } else if (m.type === 'autoconsentDone') {
      reply({ type: 'selfTest' });
    }
  });
  await s('Runtime.enable');
  await s('Network.enable');
  await s('Page.enable');
  await s('Runtime.addBinding', { name: 'cdpAutoconsent' });
  await s('Page.addScriptToEvaluateOnNewDocument', {
    source: 'window.autoconsentSendMessage = (m) => { cdpAutoconsent(JSON.stringify(m)); return Promise.resolve(); };\n' + bundle,
  });
  await s('Page.navigate', { url });
  await new Promise((r) => setTimeout(r, 9000));
  const groups = await s('Runtime.evaluate', { expression: 'window.OnetrustActiveGroups', returnByValue: true });
  console.log('OnetrustActiveGroups', groups.result && groups.result.value);
  const { cookies } = await s('Network.getAllCookies');
  console.log('cookies', cookies.map((c) => `${c.name}@${c.domain}`).sort().join(' '));
  chrome.kill('SIGTERM');
  await new Promise((r) => chrome.on('exit', r));
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(0);
})();
