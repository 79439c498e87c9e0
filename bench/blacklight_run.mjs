// The Markup's Blacklight collector (bench-only peer) over one site, for
// bench/scan_compare.sh. Calls its collect() with Debian's chromium and the
// webharness flags, times the whole call, and writes a summary JSON:
//
//   node bench/blacklight_run.mjs URL OUT_DIR PAGES SUMMARY.json [--browser-arg=ARG ...]
//
// PAGES is the number of pages visited in all: Blacklight visits the start URL
// and then `numPages` links sampled at random from it, so numPages = PAGES - 1.
// Its own defaults are kept (iPhone 13 Mini emulation, networkidle2 with a 10 s
// guard, a screenshot and the HTML of every page, form filling, scrolling, 1 s
// pause per page, all its inspectors, the HAR); only the browser is changed.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const [url, outDir, pagesArg, summaryPath, ...rest] = process.argv.slice(2);
if (!url || !outDir || !pagesArg || !summaryPath) {
  console.error('usage: blacklight_run.mjs URL OUT_DIR PAGES SUMMARY.json [--browser-arg=ARG ...]');
  process.exit(2);
}
const browserArgs = rest.filter(a => a.startsWith('--browser-arg=')).map(a => a.slice('--browser-arg='.length));
const executable = process.env.CHROMIUM || '/usr/bin/chromium';

const t0 = performance.now();
const { collect } = require('@themarkup/blacklight-collector');
const tLoaded = performance.now();
const result = await collect(url, {
  outDir,
  numPages: Number(pagesArg) - 1,
  headless: true,
  puppeteerExecutablePath: executable,
  // Blacklight's own default extra flag, then the harness's (host mapping, test certificate).
  extraChromiumArgs: ['--disable-features=TrackingProtection3pcd', ...browserArgs],
});
const t1 = performance.now();

const reports = result.reports || {};
const trackerUrls = Array.isArray(reports.third_party_trackers)
  ? reports.third_party_trackers.map(t => t.url)
  : [];
const summary = {
  status: result.status ?? 'ok',
  seconds_total: (t1 - t0) / 1000,
  seconds_collect: (t1 - tLoaded) / 1000,
  browser: result.browser?.version,
  pages: result.browsing_history || [],
  third_party_hosts: result.hosts?.requests?.third_party || [],
  tracker_urls: trackerUrls,
  session_recorders: Object.keys(reports.session_recorders || {}),
  cookie_domains: [...new Set((reports.cookies || []).filter(c => c.third_party).map(c => c.domain))],
  fb_pixel_events: (reports.fb_pixel_events || []).length,
  google_analytics_events: (reports.google_analytics_events || []).length,
  tiktok_pixel_events: (reports.tiktok_pixel_events || []).length,
  key_logging: Object.keys(reports.key_logging || {}),
  canvas_fingerprinters: (reports.canvas_fingerprinters?.fingerprinters) || [],
};
writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
console.log(`blacklight: ${summary.status}, ${summary.pages.length} pages, ${summary.seconds_total.toFixed(1)} s`);
