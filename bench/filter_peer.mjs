// Classifies a request corpus with a peer filter engine, for
// bench/filter_compare.sh: uBlock Origin's static network filtering engine
// (@gorhill/ubo-core) or Ghostery's (@ghostery/adblocker), both from
// bench/node_modules (`npm install --prefix bench`). Never used by blindspot.
//
//   node bench/filter_peer.mjs ubo|ghostery --list FILE [--list FILE]
//        --requests FILE [--decisions OUT] [--no-timing]
//
// The requests file has lines "url<TAB>source_url<TAB>type" (the types of
// `blindspot match-filters`). --decisions writes one line per request,
// "block<TAB>filter text" or "allow", as `blindspot match-filters` prints them.
// Standard output gets one JSON object with the timings: list load time,
// per-request cost (median and percentiles of individually timed calls, the
// timer's own cost subtracted; and the mean of a whole pass), both measured on
// a second pass over the corpus after a first pass that warms the JIT and
// records the decisions. File reading is not timed.
import fs from 'node:fs';

const args = process.argv.slice(2);
const engineName = args.shift();
const lists = [];
let requestsPath = '';
let decisionsPath = '';
let timing = true;
while (args.length > 0) {
  const a = args.shift();
  if (a === '--list') lists.push(args.shift());
  else if (a === '--requests') requestsPath = args.shift();
  else if (a === '--decisions') decisionsPath = args.shift();
  else if (a === '--no-timing') timing = false;
  else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}
if (!['ubo', 'ghostery'].includes(engineName) || lists.length === 0 || !requestsPath) {
  console.error('usage: node filter_peer.mjs ubo|ghostery --list FILE [--list FILE] --requests FILE [--decisions OUT]');
  process.exit(2);
}

// Our type names -> the WebExtension names both peers take.
const kTypes = {
  document: 'main_frame', subdocument: 'sub_frame', script: 'script', image: 'image',
  stylesheet: 'stylesheet', object: 'object', xmlhttprequest: 'xmlhttprequest', ping: 'ping',
  media: 'media', font: 'font', websocket: 'websocket', other: 'other',
};

const listTexts = lists.map((p) => ({ name: p.split('/').pop(), raw: fs.readFileSync(p, 'utf8') }));
const requests = [];
for (const line of fs.readFileSync(requestsPath, 'utf8').split('\n')) {
  if (line === '') continue;
  const [url, source, type] = line.split('\t');
  requests.push({ url, source, type: kTypes[type] || 'other' });
}

const now = () => process.hrtime.bigint();
const summary_extra = {};
let match;     // (request) -> bool, the decision
let explain;   // (request) -> filter text of the last blocking decision
let prepare;   // (request) -> what match() takes
const t0 = now();
if (engineName === 'ubo') {
  const { StaticNetFilteringEngine, pslInit, enableWASM } = await import('@gorhill/ubo-core');
  // The WebAssembly parts (host-name tries, public suffix list), as the
  // extension uses them where it can.
  summary_extra.wasm = await enableWASM();
  // The package's serialized public suffix list does not load (every domain
  // comes out empty, so everything looks third-party): give it the system's
  // list, the one libpsl reads too (Debian's publicsuffix package).
  const snfe = await StaticNetFilteringEngine.create({ noPSL: true });
  pslInit(fs.readFileSync('/usr/share/publicsuffix/public_suffix_list.dat', 'utf8'));
  await snfe.useLists(listTexts);
  prepare = (r) => ({ url: r.url, originURL: r.source, type: r.type });
  match = (d) => snfe.matchRequest(d) === 1;
  explain = () => {
    const log = snfe.toLogData();
    return log && log.raw ? log.raw : '';
  };
} else {
  const { FiltersEngine, Request } = await import('@ghostery/adblocker');
  const engine = FiltersEngine.parse(listTexts.map((l) => l.raw).join('\n'), {
    loadCosmeticFilters: false,
    loadNetworkFilters: true,
    enableHtmlFiltering: false,
  });
  prepare = (r) => ({ url: r.url, sourceUrl: r.source, type: r.type });
  let last;
  match = (d) => {
    last = engine.match(Request.fromRawDetails(d));
    return last.match;
  };
  explain = () => (last && last.filter ? last.filter.toString() : '');
}
const loadNs = Number(now() - t0);

const details = requests.map(prepare);
// Pass 1: warms the JIT, records decisions.
const out = [];
let blocked = 0;
for (const d of details) {
  if (match(d)) {
    blocked++;
    out.push('block\t' + explain());
  } else {
    out.push('allow');
  }
}
if (decisionsPath) fs.writeFileSync(decisionsPath, out.join('\n') + '\n');

const summary = {
  engine: engineName === 'ubo' ? 'uBlock Origin (@gorhill/ubo-core)' : 'Ghostery (@ghostery/adblocker)',
  requests: details.length,
  blocked,
  load_ms: loadNs / 1e6,
  ...summary_extra,
};
if (timing) {
  // The timer's own cost: median of back-to-back readings.
  const probe = new Float64Array(100000);
  for (let i = 0; i < probe.length; i++) {
    const a = now();
    probe[i] = Number(now() - a);
  }
  probe.sort();
  const overhead = probe[probe.length >> 1];
  // Pass 2: each call timed.
  const ns = new Float64Array(details.length);
  for (let i = 0; i < details.length; i++) {
    const d = details[i];
    const a = now();
    match(d);
    ns[i] = Number(now() - a) - overhead;
  }
  // Pass 3: the whole corpus in one stretch (mean cost, no timer per call).
  const p0 = now();
  for (let i = 0; i < details.length; i++) match(details[i]);
  const passNs = Number(now() - p0);
  ns.sort();
  const pct = (p) => ns[Math.min(ns.length - 1, Math.floor(ns.length * p))];
  Object.assign(summary, {
    timer_overhead_ns: overhead,
    median_ns: pct(0.5),
    p90_ns: pct(0.9),
    p99_ns: pct(0.99),
    mean_ns: passNs / details.length,
  });
}
console.log(JSON.stringify(summary));
