/* blindspot webharness: a stand-in for the Tidio chat loader, written for
 * tests; not Tidio's code. It loads the widget script from
 * widget-v4.tidiochat.com, keeps the visitor's id in localStorage
 * (tidio_state_<public key>), opens the chat connection
 * https://socket.tidio.co/socket.io/?ppk=<key>&device=desktop&EIO=4&transport=polling
 * and shows a chat button (#tidio-chat).
 */
(function (w, d) {
  'use strict';
  var ppk = 'q8zr3mkc0xa1yq7wbtn5hcd2mfq0rmlz';
  var key = 'tidio_state_' + ppk;
  var state = null;
  try { state = JSON.parse(localStorage.getItem(key)); } catch (e) {}
  if (!state) {
    state = { visitorId: Math.random().toString(16).slice(2) + Date.now().toString(16), created: Date.now() };
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) {}
  }
  var s = d.createElement('script');
  s.async = true;
  s.src = 'https://widget-v4.tidiochat.com/1_220_0/static/js/widget.5f1c2b.js';
  d.head.appendChild(s);
  fetch('https://socket.tidio.co/socket.io/?ppk=' + ppk + '&device=desktop&EIO=4&transport=polling&visitor=' +
        state.visitorId, { credentials: 'omit' }).catch(function () {});
  function button() {
    var div = d.createElement('div');
    div.id = 'tidio-chat';
    div.innerHTML = '<button type="button" id="tidio-chat-button" aria-label="Chat">Chat met ons</button>';
    d.body.appendChild(div);
  }
  if (d.body) button();
  else d.addEventListener('DOMContentLoaded', button);
})(window, document);
