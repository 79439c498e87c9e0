// Checkout of Fietshuis Zonnepad. The agency added "advanced matching" here:
// as soon as the visitor has typed a valid e-mail address (before the order is
// placed, whatever the cookie choice) the contact details go to the Meta Pixel,
// which hashes them (SHA-256 of the normalised value) and sends them to Meta;
// once Google Ads is loaded they also go to its enhanced conversions.
(function () {
  'use strict';
  var form = document.getElementById('checkout');
  if (!form) return;
  var timer = null;
  var lastSent = '';
  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value : '';
  }
  function send() {
    var email = value('email');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) return;
    var data = { em: email, ph: value('phone'), zp: value('postcode') };
    var key = JSON.stringify(data);
    if (key === lastSent) return;
    lastSent = key;
    if (window.fbq) {
      fbq('init', '112233445566778', data);
      fbq('track', 'InitiateCheckout', { value: 749.0, currency: 'EUR', content_ids: ['fiets-12'] });
    }
    gtag('set', 'user_data', { email: email, phone_number: value('phone') });
    gtag('event', 'conversion', { send_to: 'AW-987654321/kL9xCPu1n4gZEK2c7Y0D', value: 749.0, currency: 'EUR' });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(send, 400);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', send);
  form.addEventListener('focusout', send);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    send();
    document.getElementById('status').textContent = 'Dit is een testwinkel: er is niets besteld.';
  });
})();
