// Builds the request corpus of bench/filter_compare.sh from real captures.
//
//   node bench/filter_corpus.mjs HAR_DIR OUT.tsv [SAMPLE_N SAMPLE.tsv]
//   node bench/filter_corpus.mjs --every-type HAR_DIR OUT.tsv
//
// Reads every HAR_DIR/*.har in place (they are never copied) and writes one
// line per request, "url<TAB>source_url<TAB>type": every http(s)/ws(s) request
// URL of every capture, with the type it had there, crossed with every
// document URL (pages and frames) of every capture, its own included (first-
// party cases) as well as the others (third-party cases). No two lines are
// equal. Types use the names of `blindspot match-filters` (docs/filters.md).
// With SAMPLE_N, also writes SAMPLE.tsv: SAMPLE_N lines taken at an even step.
//
// --every-type: a second, smaller corpus that tries the type and party rules
// rather than the real mix: every request URL with every type, from the
// first document of its own capture (first party, mostly) and from that of
// the next capture (third party).
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const everyType = args[0] === '--every-type';
if (everyType) args.shift();
const [harDir, outPath, sampleN, samplePath] = args;
if (!harDir || !outPath) {
  console.error('usage: node filter_corpus.mjs HAR_DIR OUT.tsv [SAMPLE_N SAMPLE.tsv]');
  process.exit(2);
}

const isNetwork = (u) => /^(https?|wss?):\/\/[^/?#]/i.test(u);
const clean = (s) => s.replace(/[\t\r\n]/g, '');

// The type of a HAR entry: Chrome's _resourceType when present, else from the
// MIME type, else from the file extension.
function typeOf(entry, isMainDocument) {
  const rt = (entry._resourceType || '').toLowerCase();
  const mime = ((entry.response && entry.response.content && entry.response.content.mimeType) || '')
                   .toLowerCase().split(';')[0].trim();
  const url = entry.request.url;
  const ext = (url.split(/[?#]/)[0].match(/\.([a-z0-9]+)$/i) || [, ''])[1].toLowerCase();
  if (/^wss?:/i.test(url) || rt === 'websocket') return 'websocket';
  const byRt = {
    script: 'script', stylesheet: 'stylesheet', image: 'image', font: 'font', media: 'media',
    xhr: 'xmlhttprequest', fetch: 'xmlhttprequest', ping: 'ping', other: 'other', manifest: 'other',
    texttrack: 'other', eventsource: 'other', preflight: 'other', prefetch: 'other',
  };
  if (rt === 'document') return isMainDocument ? 'document' : 'subdocument';
  if (byRt[rt]) return byRt[rt];
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return isMainDocument ? 'document' : 'subdocument';
  if (/javascript|ecmascript/.test(mime)) return 'script';
  if (mime === 'text/css') return 'stylesheet';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('font/') || /font|woff/.test(mime)) return 'font';
  if (mime.startsWith('video/') || mime.startsWith('audio/') || /mpegurl|dash\+xml/.test(mime)) return 'media';
  if (/json|xml/.test(mime) || mime === 'text/plain') return 'xmlhttprequest';
  const byExt = {
    js: 'script', mjs: 'script', css: 'stylesheet', png: 'image', gif: 'image', jpg: 'image', jpeg: 'image',
    webp: 'image', svg: 'image', ico: 'image', avif: 'image', woff: 'font', woff2: 'font', ttf: 'font',
    otf: 'font', eot: 'font', mp4: 'media', webm: 'media', mp3: 'media', m3u8: 'media', html: 'subdocument',
    htm: 'subdocument', json: 'xmlhttprequest',
  };
  return byExt[ext] || 'other';
}

const files = fs.readdirSync(harDir).filter((f) => f.endsWith('.har')).sort();
if (files.length === 0) {
  console.error(`no .har files in ${harDir}`);
  process.exit(1);
}
const requests = [];  // [url, type], unique
const documents = [];  // document URLs (pages and frames), unique
const seenReq = new Set();
const seenDoc = new Set();
const captureUrls = [];  // per capture: its request URLs
const captureDoc = [];   // per capture: its first document URL
for (const f of files) {
  const urls = new Set();
  let firstDoc = '';
  const har = JSON.parse(fs.readFileSync(path.join(harDir, f), 'utf8'));
  const entries = har.log.entries || [];
  // The main document of each page: its first entry, when that is HTML (a
  // capture without pages, or whose page starts with something else, has
  // none: its HTML entries are frames).
  const mainByPage = new Map();
  const seenPage = new Set();
  for (const e of entries) {
    const page = e.pageref || '';
    if (seenPage.has(page)) continue;
    seenPage.add(page);
    if (isNetwork(e.request.url) && typeOf(e, true) === 'document') mainByPage.set(page, e);
  }
  const mains = new Set(mainByPage.values());
  for (const e of entries) {
    const url = clean(e.request.url);
    if (!isNetwork(url)) continue;
    const type = typeOf(e, mains.has(e));
    urls.add(url);
    if (!firstDoc && (type === 'document' || type === 'subdocument') && /^https?:/i.test(url)) firstDoc = url;
    const key = url + '\t' + type;
    if (!seenReq.has(key)) {
      seenReq.add(key);
      requests.push([url, type]);
    }
    if ((type === 'document' || type === 'subdocument') && /^https?:/i.test(url) && !seenDoc.has(url)) {
      seenDoc.add(url);
      documents.push(url);
    }
  }
  captureUrls.push([...urls]);
  captureDoc.push(firstDoc);
}

if (everyType) {
  const types = ['document', 'subdocument', 'script', 'image', 'stylesheet', 'object', 'xmlhttprequest', 'ping',
                 'media', 'font', 'websocket', 'other'];
  const lines = new Set();
  for (let c = 0; c < captureUrls.length; c++) {
    const sources = [captureDoc[c], captureDoc[(c + 1) % captureDoc.length]];
    for (const url of captureUrls[c])
      for (const source of sources)
        for (const type of types) lines.add(`${url}\t${source}\t${type}\n`);
  }
  fs.writeFileSync(outPath, [...lines].join(''));
  console.error(`${outPath}: ${lines.size} requests (every type, own and next capture's first document)`);
  process.exit(0);
}

const out = fs.openSync(outPath, 'w');
let n = 0;
let buf = [];
for (const [url, type] of requests) {
  for (const doc of documents) {
    buf.push(`${url}\t${doc}\t${type}\n`);
    n++;
    if (buf.length >= 4096) {
      fs.writeSync(out, buf.join(''));
      buf = [];
    }
  }
}
fs.writeSync(out, buf.join(''));
fs.closeSync(out);
console.error(`${outPath}: ${n} requests (${requests.length} request URLs x ${documents.length} documents) from ${files.length} captures`);

if (sampleN && samplePath) {
  const want = Number(sampleN);
  const lines = fs.readFileSync(outPath, 'utf8').split('\n').filter((l) => l !== '');
  const step = lines.length / want;
  const picked = [];
  for (let i = 0; i < want && Math.floor(i * step) < lines.length; i++) picked.push(lines[Math.floor(i * step)]);
  fs.writeFileSync(samplePath, picked.join('\n') + '\n');
  console.error(`${samplePath}: ${picked.length} requests`);
}
