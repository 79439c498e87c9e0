// blindspot page probe: evaluated in the page's main world once the page has
// settled. Returns what the evidence needs beyond the network: links, frames,
// embeds, forms (which fields ask for personal data), statements, storage keys,
// a consent manager's own cookie declaration, the visible text. Reads only.
(() => {
  const MAX_TEXT = 200000, MAX_LINKS = 2000;
  const out = { url: location.href, title: document.title || '', links: [], iframes: [], embeds: [],
                forms: [], storage: { local: [], session: [] }, statements: [], declaration: [], text: '' };
  const clean = (s, n) => (s || '').replace(/\s+/g, ' ').trim().slice(0, n || 200);
  const seen = new Set();
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (out.links.length >= MAX_LINKS) break;
    let href = '';
    try { href = a.href; } catch (e) { continue; }
    if (!href || href.startsWith('javascript:') || seen.has(href)) continue;
    seen.add(href);
    out.links.push({ href, text: clean(a.innerText || a.getAttribute('aria-label') || a.title, 120) });
  }
  for (const f of document.querySelectorAll('iframe, frame')) {
    out.iframes.push({ src: f.src || '', title: clean(f.title, 120), hidden: f.offsetWidth * f.offsetHeight <= 4 });
  }
  for (const e of document.querySelectorAll('embed[src], object[data], video[src], audio[src], video source[src]')) {
    out.embeds.push({ tag: e.tagName.toLowerCase(), src: e.src || e.data || '' });
  }
  // Which fields ask for personal data: by type, autocomplete, name, id and label.
  const kinds = [
    ['email', /e-?mail|courriel/i, ['email']],
    ['phone', /phone|\btel\b|telefoon|telnr|mobiel|mobile|handy/i, ['tel', 'tel-national', 'tel-local']],
    ['first_name', /first.?name|voornaam|vorname|given/i, ['given-name']],
    ['last_name', /last.?name|achternaam|nachname|surname|family/i, ['family-name']],
    ['name', /^(full.?)?name$|naam|^name$/i, ['name']],
    ['postcode', /post.?code|zip|postleitzahl|plz/i, ['postal-code']],
    ['address', /address|adres|straat|street|strasse|huisnummer/i, ['street-address', 'address-line1']],
    ['city', /city|plaats|woonplaats|stadt|ort/i, ['address-level2']],
    ['birthdate', /birth|geboorte|geburt/i, ['bday']],
    ['password', /password|wachtwoord|passwort/i, ['current-password', 'new-password']],
    ['message', /message|bericht|nachricht|vraag|opmerking|comment/i, []],
  ];
  const labelOf = (el) => {
    if (el.id) { const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]'); if (l) return clean(l.innerText, 80); }
    const p = el.closest('label'); return p ? clean(p.innerText, 80) : '';
  };
  const fieldKind = (el) => {
    const type = (el.type || '').toLowerCase(), ac = (el.autocomplete || '').toLowerCase();
    if (type === 'email') return 'email';
    if (type === 'tel') return 'phone';
    if (type === 'password') return 'password';
    const words = [el.name, el.id, el.placeholder, labelOf(el), el.getAttribute('aria-label')].filter(Boolean).join(' ');
    for (const [k, re, acs] of kinds) if (acs.includes(ac)) return k;
    for (const [k, re] of kinds) if (re.test(words)) return k;
    // Free text may hold anything a visitor writes about themselves.
    return el.tagName === 'TEXTAREA' ? 'message' : '';
  };
  const formEls = Array.from(document.forms);
  const loose = Array.from(document.querySelectorAll('input, textarea, select')).filter((el) => !el.form);
  const describe = (fields, action, method, id) => {
    const list = [];
    for (const el of fields) {
      const type = (el.type || el.tagName || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'image', 'reset'].includes(type)) continue;
      list.push({ name: el.name || el.id || '', type, kind: fieldKind(el), label: labelOf(el),
                  autocomplete: el.autocomplete || '', required: !!el.required,
                  prechecked: (type === 'checkbox' || type === 'radio') && el.defaultChecked });
    }
    return { id, action, method, fields: list };
  };
  formEls.forEach((f, i) => {
    let action = '';
    try { action = f.action; } catch (e) {}
    out.forms.push(describe(Array.from(f.elements), action, (f.method || 'get').toLowerCase(), f.id || f.name || 'form' + (i + 1)));
  });
  if (loose.length) {
    const f = describe(loose, '', '', '(fields outside a form)');
    if (f.fields.some((x) => x.kind && x.kind !== 'message')) out.forms.push(f);
  }
  try { for (let i = 0; i < localStorage.length; ++i) out.storage.local.push(localStorage.key(i)); } catch (e) {}
  try { for (let i = 0; i < sessionStorage.length; ++i) out.storage.session.push(sessionStorage.key(i)); } catch (e) {}
  // Privacy and cookie statements, by link text or address.
  const stmt = [
    ['privacy', /privacy|privacyverklaring|privacybeleid|datenschutz|gegevensbescherming|persoonsgegevens|privacy.?policy|politique de confidentialit/i],
    ['cookies', /cookie/i],
  ];
  for (const l of out.links) {
    if (!/^https?:/i.test(l.href)) continue;  // a statement is a page (not mailto:privacy@...)
    for (const [kind, re] of stmt) {
      if (re.test(l.text) || re.test(l.href.replace(/^https?:\/\/[^/]+/, ''))) {
        if (!out.statements.some((s) => s.href === l.href)) out.statements.push({ kind, href: l.href, text: l.text });
        break;
      }
    }
  }
  // A consent manager's own cookie declaration (Cookiebot, OneTrust, Complianz and
  // similar render a table): one row per declared cookie.
  const decl = document.querySelector('#CookieDeclaration, #ot-sdk-cookie-policy, .cmplz-cookies-overview, .cookie-declaration, [data-cookie-declaration]');
  if (decl) {
    for (const tr of decl.querySelectorAll('tr')) {
      const cells = Array.from(tr.querySelectorAll('td')).map((c) => clean(c.innerText, 300));
      if (cells.length >= 2 && cells[0]) out.declaration.push(cells);
    }
  }
  out.text = (document.body ? document.body.innerText || '' : '').slice(0, MAX_TEXT);
  return out;
})()
