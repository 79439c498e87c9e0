/* blindspot webharness: a stand-in for CallRail's dynamic number insertion
 * (swap.js), written for tests; not CallRail's code. It sets the first-party
 * cookies calltrk_landing (landing page URL), calltrk_referrer (referrer or
 * "direct") and calltrk_session_id (30 days), asks
 * https://js.callrail.com/group/0/9f3c2e1d0b7a6c5d4e3f/12/swap_session.json
 * for this visitor's tracking number (sending the landing page, referrer and
 * session id), and swaps the shop's number 030 234 5678 / +31302345678 for it
 * in the page's text and tel: links (not inside .data-calltrk-noswap).
 */
(function (w, d) {
  'use strict';
  var TARGET_DIGITS = '31302345678';
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
  var landing = getCookie('calltrk_landing') || location.href;
  var referrer = getCookie('calltrk_referrer') || d.referrer || 'direct';
  var session = getCookie('calltrk_session_id') ||
                'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
                  var r = Math.floor(Math.random() * 16);
                  return (c === 'x' ? r : (r & 3) | 8).toString(16);
                });
  setCookie('calltrk_landing', encodeURIComponent(landing), 2592000);
  setCookie('calltrk_referrer', encodeURIComponent(referrer), 2592000);
  setCookie('calltrk_session_id', session, 2592000);
  w.CallTrk = w.CallTrk || { swap: function () {} };

  function swap(number, formatted) {
    var digits = number.replace(/[^0-9]/g, '');
    d.querySelectorAll('a[href^="tel:"]').forEach(function (a) {
      if (a.closest('.data-calltrk-noswap')) return;
      if (a.getAttribute('href').replace(/[^0-9]/g, '') === TARGET_DIGITS) a.setAttribute('href', 'tel:+' + digits);
    });
    var walker = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && n.parentElement.closest('.data-calltrk-noswap')) continue;
      if (n.nodeValue.indexOf('030 234 5678') > -1) n.nodeValue = n.nodeValue.split('030 234 5678').join(formatted);
    }
  }
  function start() {
    var url = 'https://js.callrail.com/group/0/9f3c2e1d0b7a6c5d4e3f/12/swap_session.json?' +
              'landing=' + encodeURIComponent(landing) + '&referrer=' + encodeURIComponent(referrer) +
              '&session_id=' + encodeURIComponent(session) + '&cookies_enabled=true';
    fetch(url, { credentials: 'include' }).then(function (r) { return r.json(); }).then(function (j) {
      if (j && j.swap_number) swap(j.swap_number, j.formatted_number || j.swap_number);
    }).catch(function () {});
  }
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start);
  else start();
})(window, document);
