/* blindspot webharness: a stand-in for the Hotjar tracking code (site 3581234),
 * written for tests; not Hotjar's code. It sets the first-party cookies
 * _hjSessionUser_3581234 (base64 JSON {id, created, existing}, 1 year) and
 * _hjSession_3581234 (base64 JSON {id, c, s, r, sb, sr, se, fs, sp}, 30 min) on
 * the site's domain, and reports the visit as a session recorder does:
 * POST https://in.hotjar.com/api/v2/client/sites/3581234/visit-data?sv=6 with the
 * page URL, referrer, window size and the user and session ids. (The real
 * recorder then streams the page's changes; the stand-in does not.)
 */
(function (w, d) {
  'use strict';
  var site = (w._hjSettings && w._hjSettings.hjid) || 3581234;
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
    return m ? decodeURIComponent(m[1]) : '';
  }
  function uuid() {
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    });
  }
  var now = Date.now();
  var userCookie = '_hjSessionUser_' + site, sessionCookie = '_hjSession_' + site;
  var u = null, s = null;
  try { u = JSON.parse(atob(getCookie(userCookie))); } catch (e) {}
  if (!u) u = { id: uuid().slice(0, 16).replace(/-/g, ''), created: now, existing: false };
  else u.existing = true;
  setCookie(userCookie, btoa(JSON.stringify(u)), 31536000);
  try { s = JSON.parse(atob(getCookie(sessionCookie))); } catch (e) {}
  if (!s) s = { id: uuid(), c: now, s: 0, r: 0, sb: 0, sr: 0, se: 0, fs: 1, sp: 0 };
  setCookie(sessionCookie, btoa(JSON.stringify(s)), 1800);

  var base = 'https://in.hotjar.com/api/v2/client/sites/' + site;
  function post(path, body) {
    fetch(base + path, {
      method: 'POST', credentials: 'omit', keepalive: true,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).catch(function () {});
  }
  post('/visit-data?sv=6', {
    user_id: u.id, session_id: s.id, page_url: location.href, referrer: d.referrer,
    window_width: w.innerWidth, window_height: w.innerHeight, is_vpv: false
  });
})(window, document);
