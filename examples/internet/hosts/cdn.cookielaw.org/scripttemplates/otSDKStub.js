/* blindspot webharness: a stand-in for OneTrust's otSDKStub.js, written for
 * tests; not OneTrust's code. It reads data-domain-script from its own tag,
 * sets window.OnetrustActiveGroups to ",C0001," until the visitor chooses, and
 * loads the banner script otBannerSdk.js from the same CDN.
 */
(function (w, d) {
  'use strict';
  var me = d.currentScript;
  w.otStubData = { domainId: me ? me.getAttribute('data-domain-script') : '' };
  if (!w.OnetrustActiveGroups) w.OnetrustActiveGroups = ',C0001,';
  w.OptanonActiveGroups = w.OnetrustActiveGroups;
  var s = d.createElement('script');
  s.async = true;
  s.src = 'https://cdn.cookielaw.org/scripttemplates/202409.1.0/otBannerSdk.js';
  d.head.appendChild(s);
})(window, document);
