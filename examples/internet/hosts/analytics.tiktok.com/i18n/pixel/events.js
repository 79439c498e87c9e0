/* blindspot webharness: a stand-in for the TikTok Pixel (events.js), written
 * for tests; not TikTok's code. On the wire:
 * - sets the first-party cookies _ttp (anonymous id, 13 months),
 *   _tt_enable_cookie=1 and ttcsid (session, 30 minutes) on the site's domain;
 * - ttq.page() / ttq.track(event, properties) POST JSON to
 *   https://analytics.tiktok.com/api/v2/pixel:
 *   {event, message_id, event_id, timestamp, context: {pixel: {code}, page: {url, referrer},
 *    user: {anonymous_id}, session_id, library, device}, properties}
 * - ttq.identify({email, phone_number}) adds context.user.email / phone_number
 *   as SHA-256 hex of the trimmed lower-cased value.
 */
(function (w, d) {
  'use strict';
  var ttq = w.ttq;
  if (!ttq || ttq.__standin) return;
  var codes = [];
  var user = {};

  function setCookie(name, value, maxAge) {
    var parts = location.hostname.split('.');
    for (var i = parts.length - 2; i >= 0; i--) {
      var dom = parts.slice(i).join('.');
      d.cookie = name + '=' + value + '; domain=.' + dom + '; path=/; max-age=' + maxAge + '; SameSite=Lax';
      if (d.cookie.indexOf(name + '=' + value) > -1) return;
    }
  }
  function getCookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? m[1] : '';
  }
  function rand(n) {
    var a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', s = '';
    for (var i = 0; i < n; i++) s += a.charAt(Math.floor(Math.random() * a.length));
    return s;
  }
  var ttp = getCookie('_ttp');
  if (!ttp) {
    ttp = rand(27);
    setCookie('_ttp', ttp, 34190000);
  }
  setCookie('_tt_enable_cookie', '1', 34190000);
  var session = getCookie('ttcsid') || (Date.now() + '.' + Math.floor(Math.random() * 1e9));
  setCookie('ttcsid', session, 1800);

  function sha256hex(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ('0' + b.toString(16)).slice(-2);
      }).join('');
    });
  }

  function send(event, properties) {
    codes.forEach(function (code) {
      var ctx = {
        ad: {}, device: { platform: 'pc' },
        library: { name: 'pixel.js', version: '2.2.1' },
        page: { url: location.href, referrer: d.referrer },
        pixel: { code: code }, session_id: session,
        user: { anonymous_id: ttp }
      };
      Object.keys(user).forEach(function (k) { ctx.user[k] = user[k]; });
      var body = {
        event: event, event_id: rand(16), message_id: 'messageId-' + Date.now() + '-' + rand(8),
        is_onsite: false, timestamp: new Date().toISOString(), context: ctx, properties: properties || {}
      };
      fetch('https://analytics.tiktok.com/api/v2/pixel', {
        method: 'POST', credentials: 'include', keepalive: true,
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      }).catch(function () {});
    });
  }

  function call(a) {
    var m = a[0];
    if (m === 'load') codes.push(a[1]);
    else if (m === 'page') send('Pageview', {});
    else if (m === 'track') send(a[1], a[2]);
    else if (m === 'identify') {
      var v = a[1] || {};
      ['email', 'phone_number'].forEach(function (k) {
        if (v[k]) sha256hex(String(v[k]).trim().toLowerCase()).then(function (h) { user[k] = h; });
      });
    }
  }
  var queued = Array.prototype.slice.call(ttq);
  ttq.length = 0;
  ttq.__standin = true;
  ['page', 'track', 'identify', 'load'].forEach(function (m) {
    ttq[m] = function () { call([m].concat(Array.prototype.slice.call(arguments))); };
  });
  queued.forEach(call);
})(window, document);
