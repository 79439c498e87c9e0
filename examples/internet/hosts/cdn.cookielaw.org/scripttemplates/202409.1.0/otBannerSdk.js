/* blindspot webharness: a stand-in for the OneTrust cookie banner, written for
 * tests; not OneTrust's code. It builds the DOM that consent tools such as
 * @duckduckgo/autoconsent recognise as OneTrust (#onetrust-consent-sdk,
 * #onetrust-banner-sdk with #onetrust-accept-btn-handler,
 * #onetrust-reject-all-handler and #onetrust-pc-btn-handler, and the
 * preference centre #onetrust-pc-sdk with input.category-switch-handler and
 * .save-preference-btn-handler) from the domain's JSON
 * (cdn.cookielaw.org/consent/<id>/<id>.json, its cookie list per group), and
 * stores the choice in the first-party cookies OptanonConsent
 * (groups=C0001:1,C0002:0,...) and OptanonAlertBoxClosed (ISO date), 1 year.
 * window.OnetrustActiveGroups lists the allowed groups (",C0001,C0004,");
 * window.OptanonWrapper() is called when loaded and after every choice.
 */
(function (w, d) {
  'use strict';
  var domainId = (w.otStubData && w.otStubData.domainId) || '';
  var data = null;

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
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function groupIds() { return data.Groups.map(function (g) { return g.OptanonGroupId; }); }

  function activeFromCookie() {
    var m = /(?:^|&)groups=([^&]*)/.exec(decodeURIComponent(getCookie('OptanonConsent')));
    if (!m) return null;
    return m[1].split(',').filter(function (p) { return /:1$/.test(p); }).map(function (p) { return p.split(':')[0]; });
  }
  function setActive(ids) {
    w.OnetrustActiveGroups = ',' + ids.join(',') + ',';
    w.OptanonActiveGroups = w.OnetrustActiveGroups;
    (w.dataLayer = w.dataLayer || []).push({ event: 'OneTrustGroupsUpdated', OnetrustActiveGroups: w.OnetrustActiveGroups });
  }
  function wrapper() {
    if (typeof w.OptanonWrapper === 'function') {
      try { w.OptanonWrapper(); } catch (e) { console.error(e); }
    }
  }

  function save(allowed) {
    if (allowed.indexOf('C0001') < 0) allowed.unshift('C0001');
    var consentId = getCookie('OptanonConsent') ? null : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    });
    var groups = groupIds().map(function (id) { return id + ':' + (allowed.indexOf(id) > -1 ? 1 : 0); }).join(',');
    var value = 'isGpcEnabled=0&datestamp=' + encodeURIComponent(new Date().toString()) + '&version=202409.1.0' +
                '&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=' + (consentId || 'returning') +
                '&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage&groups=' + encodeURIComponent(groups) +
                '&AwaitingReconsent=false';
    setCookie('OptanonConsent', value, 31536000);
    setCookie('OptanonAlertBoxClosed', new Date().toISOString(), 31536000);
    setActive(allowed);
    var banner = d.getElementById('onetrust-banner-sdk');
    if (banner) banner.parentNode.removeChild(banner);
    hidePc();
    wrapper();
  }
  function showPc() {
    var pc = d.getElementById('onetrust-pc-sdk');
    pc.classList.remove('ot-hide');
    pc.style.display = 'block';
    d.querySelector('#onetrust-consent-sdk .onetrust-pc-dark-filter').classList.remove('ot-hide');
  }
  function hidePc() {
    var pc = d.getElementById('onetrust-pc-sdk');
    if (!pc) return;
    pc.classList.add('ot-hide');
    pc.style.display = 'none';
    d.querySelector('#onetrust-consent-sdk .onetrust-pc-dark-filter').classList.add('ot-hide');
  }

  function build(showBanner) {
    var root = d.createElement('div');
    root.id = 'onetrust-consent-sdk';
    var html = '<div class="onetrust-pc-dark-filter ot-hide"></div>';
    if (showBanner) {
      html +=
        '<div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="' + esc(data.AriaLabel) + '">' +
        '<div id="onetrust-policy"><h2 id="onetrust-policy-title">' + esc(data.BannerTitle) + '</h2>' +
        '<div id="onetrust-policy-text">' + esc(data.AlertNoticeText) +
        ' <a class="ot-cookie-policy-link" href="' + esc(data.CookiePolicyUrl) + '">' + esc(data.AlertMoreInfoText) +
        '</a></div></div>' +
        '<div id="onetrust-button-group-parent"><div id="onetrust-button-group">' +
        '<button id="onetrust-pc-btn-handler">' + esc(data.AlertMoreInfoButtonText) + '</button>' +
        '<button id="onetrust-reject-all-handler">' + esc(data.BannerRejectAllButtonText) + '</button>' +
        '<button id="onetrust-accept-btn-handler">' + esc(data.AlertAllowCookiesText) + '</button>' +
        '</div></div></div>';
    }
    var active = (w.OnetrustActiveGroups || ',C0001,');
    // A group whose Status is "active" is switched on in the preference centre until the visitor
    // has chosen (a pre-ticked choice: what the scanner's page probe reads without clicking).
    var chosen = !!getCookie('OptanonConsent');
    html += '<div id="onetrust-pc-sdk" class="otPcCenter ot-hide" role="dialog" style="display:none">' +
            '<h2 id="ot-pc-title">' + esc(data.MainText) + '</h2><div id="ot-pc-desc">' + esc(data.MainInfoText) + '</div>' +
            '<button id="accept-recommended-btn-handler">' + esc(data.ConfirmText) + '</button>' +
            '<section class="ot-sdk-row ot-cat-grp">';
    data.Groups.forEach(function (g) {
      var always = g.Status === 'always active';
      html += '<div class="ot-accordion-layout ot-cat-item" data-optanongroupid="' + esc(g.OptanonGroupId) + '">' +
              '<h3 id="ot-header-id-' + esc(g.OptanonGroupId) + '">' + esc(g.GroupName) + '</h3>' +
              (always ? '<div class="ot-always-active">' + esc(data.AlwaysActiveText) + '</div>'
                      : '<input type="checkbox" class="category-switch-handler" id="ot-group-id-' + esc(g.OptanonGroupId) +
                        '" data-optanongroupid="' + esc(g.OptanonGroupId) + '"' +
                        (active.indexOf(',' + g.OptanonGroupId + ',') > -1 || (!chosen && g.Status === 'active') ? ' checked' : '') +
                        '>') +
              '<p class="ot-grp-desc">' + esc(g.GroupDescription) + '</p><ul class="ot-host-cookies">';
      (g.FirstPartyCookies || []).forEach(function (c) {
        html += '<li class="ot-cookie"><span class="ot-c-name">' + esc(c.Name) + '</span> · <span class="ot-c-host">' +
                esc(c.Host) + '</span> · <span class="ot-c-length">' + esc(c.Length) + '</span></li>';
      });
      html += '</ul></div>';
    });
    html += '</section><div class="ot-pc-footer">' +
            '<button class="ot-pc-refuse-all-handler">' + esc(data.PCenterRejectAllButtonText) + '</button>' +
            '<button class="save-preference-btn-handler">' + esc(data.AllowAllText) +
            '</button></div></div>';
    root.innerHTML = html;
    d.body.appendChild(root);

    function on(sel, fn) {
      var el = root.querySelector(sel);
      if (el) el.addEventListener('click', fn);
    }
    on('#onetrust-accept-btn-handler', function () { save(groupIds()); });
    on('#accept-recommended-btn-handler', function () { save(groupIds()); });
    on('#onetrust-reject-all-handler', function () { save([]); });
    on('.ot-pc-refuse-all-handler', function () { save([]); });
    on('#onetrust-pc-btn-handler', showPc);
    on('.save-preference-btn-handler', function () {
      var ids = [];
      root.querySelectorAll('input.category-switch-handler:checked').forEach(function (i) {
        ids.push(i.getAttribute('data-optanongroupid'));
      });
      save(ids);
    });
    d.querySelectorAll('.ot-sdk-show-settings').forEach(function (b) { b.addEventListener('click', showPc); });
  }

  w.OneTrust = {
    ToggleInfoDisplay: function () { showPc(); },
    AllowAll: function () { save(groupIds()); },
    RejectAll: function () { save([]); },
    GetDomainData: function () { return data; },
    OnConsentChanged: function (fn) { w.addEventListener('consent.onetrust', fn); }
  };
  w.Optanon = w.OneTrust;

  function start(json) {
    data = json;
    var chosen = activeFromCookie();
    var closed = !!getCookie('OptanonAlertBoxClosed');
    setActive(closed && chosen ? chosen : ['C0001']);
    var go = function () {
      build(!closed);
      wrapper();
    };
    if (d.body) go();
    else d.addEventListener('DOMContentLoaded', go);
  }
  fetch('https://cdn.cookielaw.org/consent/' + domainId + '/' + domainId + '.json')
    .then(function (r) { return r.json(); })
    .then(start)
    .catch(function (e) { console.error('OneTrust stand-in: no domain data', e); });
})(window, document);
