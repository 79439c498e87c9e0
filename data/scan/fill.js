// blindspot form filler (--fill-forms): types the test identity into the
// page's fields that ask for personal data, firing the events a visitor's
// typing fires (focus, input, change, blur), and never submits. Returns the
// fields filled. Called as this function with the identity as its argument.
((id) => {
  const filled = [];
  const words = (el) => [el.name, el.id, el.placeholder, el.autocomplete, el.getAttribute('aria-label')]
    .filter(Boolean).join(' ');
  const pick = (el) => {
    const type = (el.type || '').toLowerCase(), w = words(el);
    if (type === 'email' || /e-?mail/i.test(w)) return 'email';
    if (type === 'tel' || /phone|\btel\b|telefoon|telnr|mobiel|mobile/i.test(w)) return 'phone';
    if (/first.?name|voornaam|vorname|given/i.test(w)) return 'first_name';
    if (/last.?name|achternaam|nachname|surname|family/i.test(w)) return 'last_name';
    if (/post.?code|zip|postleitzahl|plz|postal/i.test(w)) return 'postcode';
    if (/(^|\W)(full.?)?name(\W|$)|naam/i.test(w)) return 'name';
    return '';
  };
  const values = { email: id.email, phone: id.phone, first_name: id.first_name, last_name: id.last_name,
                   postcode: id.postcode, name: id.first_name + ' ' + id.last_name };
  for (const el of document.querySelectorAll('input, textarea')) {
    const type = (el.type || 'text').toLowerCase();
    if (!['text', 'email', 'tel', 'search', 'textarea', ''].includes(type) && el.tagName !== 'TEXTAREA') continue;
    if (el.disabled || el.readOnly) continue;
    const kind = pick(el);
    if (!kind) continue;
    const v = values[kind];
    el.focus();
    el.dispatchEvent(new FocusEvent('focus', { bubbles: false }));
    el.value = v;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, data: v, inputType: 'insertText' }));
    el.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true, key: v.slice(-1) }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.blur();
    el.dispatchEvent(new FocusEvent('blur', { bubbles: false }));
    el.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    filled.push({ kind, name: el.name || el.id || '' });
  }
  return filled;
})
