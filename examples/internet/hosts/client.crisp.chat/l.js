/* blindspot webharness: a stand-in for the Crisp chat loader (l.js), written
 * for tests; not Crisp's code. It reads window.CRISP_WEBSITE_ID, sets the
 * first-party cookie crisp-client%2Fsession%2F<website id> = session_<uuid>
 * (6 months), opens the chat connection
 * https://client.relay.crisp.chat/socket.io/?EIO=4&transport=polling&website_id=..
 * and shows a chat button (.crisp-client).
 */
(function (w, d) {
  'use strict';
  var id = w.CRISP_WEBSITE_ID;
  if (!id) return;
  w.$crisp = w.$crisp || [];
  var name = 'crisp-client%2Fsession%2F' + id;
  var m = d.cookie.match(new RegExp('(?:^|; )' + name.replace(/%/g, '\\%') + '=([^;]*)'));
  var session = m ? m[1] : 'session_' + 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
    var r = Math.floor(Math.random() * 16);
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  });
  var parts = location.hostname.split('.');
  for (var i = parts.length - 2; i >= 0; i--) {
    d.cookie = name + '=' + session + '; domain=.' + parts.slice(i).join('.') + '; path=/; max-age=15552000; SameSite=Lax';
    if (d.cookie.indexOf(name + '=' + session) > -1) break;
  }
  fetch('https://client.relay.crisp.chat/socket.io/?EIO=4&transport=polling&website_id=' + encodeURIComponent(id),
        { credentials: 'omit' }).catch(function () {});
  function button() {
    var div = d.createElement('div');
    div.className = 'crisp-client';
    div.innerHTML = '<button type="button" aria-label="Chat">Stel je vraag</button>';
    d.body.appendChild(div);
  }
  if (d.body) button();
  else d.addEventListener('DOMContentLoaded', button);
})(window, document);
