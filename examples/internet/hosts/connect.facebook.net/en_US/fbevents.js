/* blindspot webharness: a stand-in for the Meta Pixel (fbevents.js), written
 * for tests; not Meta's code. It behaves like the pixel on the wire:
 * - keeps the fbq queue the base code made and answers later fbq() calls;
 * - sets the first-party cookie _fbp = fb.1.<ms>.<random> on the site's
 *   registrable domain (90 days) and loads signals/config/<pixel id>;
 * - sends every event as GET https://www.facebook.com/tr/?id=..&ev=..&dl=..&rl=..
 *   with cd[...] for custom data and, after fbq('init', id, {em, ph, zp, fn, ln, ...}),
 *   ud[...] = SHA-256 hex of the normalised value (Advanced Matching):
 *   em, fn, ln, ct: trimmed and lower-cased; ph: digits only, leading zeros
 *   removed; zp: lower-cased, spaces removed.
 */
(function (w, d) {
  'use strict';
  var fbq = w.fbq;
  if (!fbq || fbq.__standin) return;
  var pixels = {};  // id -> user data (raw)
  var sent = 0;

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
  var fbp = getCookie('_fbp');
  if (!fbp) {
    fbp = 'fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 2147483647);
    setCookie('_fbp', fbp, 7776000);
  }

  function normalise(key, v) {
    v = String(v == null ? '' : v).trim().toLowerCase();
    if (key === 'ph') v = v.replace(/[^0-9]/g, '').replace(/^0+/, '');
    if (key === 'zp') v = v.replace(/\s+/g, '');
    return v;
  }
  function sha256hex(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ('0' + b.toString(16)).slice(-2);
      }).join('');
    });
  }
  function hashedUserData(raw) {
    var keys = Object.keys(raw || {});
    return Promise.all(keys.map(function (k) {
      var v = normalise(k, raw[k]);
      return v ? sha256hex(v).then(function (h) { return [k, h]; }) : null;
    })).then(function (pairs) { return pairs.filter(Boolean); });
  }

  function send(id, ev, custom) {
    var loadedAt = Date.now();
    hashedUserData(pixels[id]).then(function (ud) {
      var q = [['id', id], ['ev', ev], ['dl', location.href], ['rl', d.referrer], ['if', 'false'],
               ['ts', String(Date.now())]];
      Object.keys(custom || {}).forEach(function (k) {
        var v = custom[k];
        q.push(['cd[' + k + ']', typeof v === 'object' ? JSON.stringify(v) : String(v)]);
      });
      ud.forEach(function (p) { q.push(['ud[' + p[0] + ']', p[1]]); });
      q.push(['sw', String(screen.width)], ['sh', String(screen.height)], ['v', '2.9.177'], ['r', 'stable'],
             ['ec', String(sent++)], ['o', '4126'], ['fbp', fbp], ['it', String(loadedAt)], ['coo', 'false'],
             ['rqm', 'GET']);
      var url = 'https://www.facebook.com/tr/?' + q.map(function (p) {
        // Parameter names keep their brackets (ud[em], cd[value]) as the real pixel sends them.
        return encodeURIComponent(p[0]).replace(/%5B/g, '[').replace(/%5D/g, ']') + '=' + encodeURIComponent(p[1]);
      }).join('&');
      var img = new Image(1, 1);
      img.src = url;
    });
  }

  function call(args) {
    var cmd = args[0];
    if (cmd === 'init') {
      var first = !(args[1] in pixels);
      pixels[args[1]] = args[2] || pixels[args[1]] || {};
      if (first) {
        var s = d.createElement('script');
        s.async = true;
        s.src = 'https://connect.facebook.net/signals/config/' + args[1] + '?v=2.9.177&r=stable';
        d.head.appendChild(s);
      }
    } else if (cmd === 'track' || cmd === 'trackCustom') {
      Object.keys(pixels).forEach(function (id) { send(id, args[1], args[2]); });
    } else if (cmd === 'trackSingle') {
      send(args[1], args[2], args[3]);
    }
  }

  var queue = fbq.queue || [];
  fbq.callMethod = function () { call(Array.prototype.slice.call(arguments)); };
  fbq.__standin = true;
  queue.forEach(function (a) { call(Array.prototype.slice.call(a)); });
  fbq.queue = [];
})(window, document);
