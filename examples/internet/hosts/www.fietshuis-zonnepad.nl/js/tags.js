// Tag wiring of Fietshuis Zonnepad, set up by the marketing agency.
// OneTrust calls OptanonWrapper() when its banner script has loaded and after
// every consent choice; window.OnetrustActiveGroups then lists the groups the
// visitor allowed (",C0001," before any choice: strictly necessary only).
// Groups: C0001 strictly necessary, C0002 performance, C0003 functional,
// C0004 targeting.
//
// This wiring is wrong in places on purpose: it is the test site of blindspot's
// live scan, and docs/harness.md lists what an audit must find here.
(function () {
  'use strict';
  window.dataLayer = window.dataLayer || [];
  window.gtag = function () { window.dataLayer.push(arguments); };

  var loaded = {};
  function once(name, fn) {
    if (!loaded[name]) { loaded[name] = true; fn(); }
  }
  function addScript(src) {
    var s = document.createElement('script');
    s.async = true;
    s.src = src;
    document.head.appendChild(s);
  }

  // Hotjar session recordings (the agency put Hotjar in "strictly necessary").
  function loadHotjar() {
    window.hj = window.hj || function () { (window.hj.q = window.hj.q || []).push(arguments); };
    window._hjSettings = { hjid: 3581234, hjsv: 6 };
    addScript('https://static.hotjar.com/c/hotjar-' + window._hjSettings.hjid + '.js?sv=' + window._hjSettings.hjsv);
  }

  // Google Ads remarketing and conversions.
  function loadGoogleAds() {
    addScript('https://www.googletagmanager.com/gtag/js?id=AW-987654321');
    gtag('js', new Date());
    gtag('config', 'AW-987654321', { allow_enhanced_conversions: true });
  }

  // TikTok Pixel.
  function loadTikTok() {
    var ttq = window.ttq = window.ttq || [];
    ttq.methods = ['page', 'track', 'identify', 'load'];
    ttq.methods.forEach(function (m) {
      ttq[m] = function () { ttq.push([m].concat(Array.prototype.slice.call(arguments))); };
    });
    addScript('https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CQ4M2JRC77U3QK9A1B2C&lib=ttq');
    ttq.load('CQ4M2JRC77U3QK9A1B2C');
    ttq.page();
  }

  // LinkedIn Insight Tag.
  function loadLinkedIn() {
    window._linkedin_partner_id = '5123456';
    window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
    window._linkedin_data_partner_ids.push(window._linkedin_partner_id);
    addScript('https://snap.licdn.com/li.lms-analytics/insight.min.js');
  }

  window.OptanonWrapper = function () {
    var groups = window.OnetrustActiveGroups || '';
    var closed = document.cookie.indexOf('OptanonAlertBoxClosed=') > -1;
    // WRONG: a session recorder is not strictly necessary.
    if (groups.indexOf(',C0001,') > -1) once('hotjar', loadHotjar);
    // WRONG: loads as soon as the banner was closed, whatever the choice
    // ("reject all" included); it should wait for C0004.
    if (groups.indexOf(',C0004,') > -1 || closed) once('googleads', loadGoogleAds);
    // Right: only with consent for targeting cookies.
    if (groups.indexOf(',C0004,') > -1) {
      once('tiktok', loadTikTok);
      once('linkedin', loadLinkedIn);
    }
  };
})();
