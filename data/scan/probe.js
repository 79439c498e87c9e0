// blindspot page probe: evaluated in the page's main world once the page has
// settled. Returns what the evidence needs beyond the network: links, frames,
// embeds, forms (which fields ask for personal data), statements, storage keys,
// a consent manager's own cookie declaration, the visible text, the consent
// banner's toggles, size and lock, the TCF consent string. Reads only.
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
  // The consent banner as it stands, without clicking: its category toggles
  // (second layer / preferences panel, which most consent managers render
  // before it opens), how much of the viewport it covers, whether the page
  // beneath is scroll-locked or inert, and words of a paywall in it.
  const cmpRe = /cookie|consent|gdpr|privacy|cmpbox|onetrust|optanon|cybot|cky-|cmplz|didomi|usercentrics|iubenda|klaro|borlabs|sp_message|qc-cmp|truste|tarteaucitron/i;
  const attrs = (el) => [el.id, typeof el.className === 'string' ? el.className : '', el.getAttribute('aria-label') || '', el.getAttribute('role') || ''].join(' ');
  const inCmp = (el) => { for (let n = el, d = 0; n && n !== document.body && d < 25; n = n.parentElement, ++d) if (cmpRe.test(attrs(n))) return n; return null; };
  const textOf = (id) => { const el = id && document.getElementById(id); return el ? clean(el.textContent, 80) : ''; };
  const toggleLabel = (el) => {
    let t = labelOf(el) || clean(el.getAttribute('aria-label'), 80);
    if (!t) t = (el.getAttribute('aria-labelledby') || '').split(/\s+/).map(textOf).filter(Boolean).join(' ');
    for (let n = el.parentElement, d = 0; !t && n && d < 4; n = n.parentElement, ++d) {
      const h = n.querySelector('h1,h2,h3,h4,h5,h6,strong,b,[class*="title" i],[class*="name" i],[class*="label" i],[class*="header" i]');
      if (h && h !== el) t = clean(h.textContent, 80);
    }
    return t;
  };
  const toggles = [], keys = new Set();
  for (const el of document.querySelectorAll('input[type="checkbox"], [role="switch"], [role="checkbox"]')) {
    if (toggles.length >= 60) break;
    if (el.form && !inCmp(el.form)) continue;
    if (!inCmp(el)) continue;
    const key = el.id || el.name || el.value || toggleLabel(el);
    if (!key || keys.has(key)) continue;
    keys.add(key);
    const isInput = el.tagName === 'INPUT';
    const checked = isInput ? el.checked : el.getAttribute('aria-checked') === 'true';
    const disabled = isInput ? el.disabled : el.getAttribute('aria-disabled') === 'true';
    const li = /leg(itimate)?[-_ ]?int|leg-switch|\blegint|legitimate/i.test(attrs(el) + ' ' + (el.name || ''));
    const vendor = /vendor|partner|host-item|ot-host|iab-v/i.test(attrs(el) + ' ' + (el.name || ''));
    toggles.push({ category: toggleLabel(el), key: clean(key, 80), checked: !!checked, disabled: !!disabled,
                   kind: li ? 'legitimate-interest' : vendor ? 'vendor' : 'category' });
  }
  if (toggles.length) out.consent_toggles = toggles;
  const vw = window.innerWidth || 0, vh = window.innerHeight || 0;
  let box = null, best = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (!cmpRe.test(attrs(el))) continue;
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden' || Number(st.opacity) === 0) continue;
    if (st.position !== 'fixed' && st.position !== 'sticky' && st.position !== 'absolute' && !/dialog/i.test(el.getAttribute('role') || '')) continue;
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0)), h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    if (w * h > best && /cookie|consent|privacy|toestemming|einwilligung|akkoord|accept/i.test(el.textContent || '')) { best = w * h; box = el; }
  }
  if (box && vw && vh) {
    const de = getComputedStyle(document.documentElement), bs = document.body ? getComputedStyle(document.body) : de;
    const locked = [de.overflow, de.overflowY, bs.overflow, bs.overflowY].includes('hidden') || bs.position === 'fixed';
    let inert = false;
    for (const sib of (document.body ? document.body.children : [])) {
      if (sib.contains(box) || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|LINK|META)$/.test(sib.tagName)) continue;
      const sr = sib.getBoundingClientRect();  // only the page's content counts, not a hidden sprite
      if (sr.width * sr.height < 0.25 * vw * vh) continue;
      if (sib.inert || sib.getAttribute('aria-hidden') === 'true' || getComputedStyle(sib).filter.includes('blur')) { inert = true; break; }
    }
    const words = (box.innerText || '').match(/\b(abonneer\w*|abonnement\w*|abonnier\w*|abo\b|pur[- ]abo\w*|subscri\w+|betaal\w*|bezahl\w*|zahlen|pay\b|paid|ad-?free|advertentievrij|werbefrei|ohne werbung|zonder advertenties)|(€\s?\d+[.,]?\d*|\d+[.,]\d{2}\s?(€|eur\b))/gi) || [];
    out.banner = { share: Math.round(best / (vw * vh) * 1000) / 1000, scroll_locked: locked, inert,
                   paywall_terms: Array.from(new Set(words.map((w) => w.toLowerCase()))).slice(0, 10) };
  }
  // The IAB TCF consent string, from the consent manager's API (a callback,
  // which most call at once; waited for at most 0.4 s).
  if (typeof window.__tcfapi !== 'function') return out;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(out), 400);
    try {
      window.__tcfapi('getTCData', 2, (d, ok) => {
        if (ok && d && typeof d.tcString === 'string' && d.tcString)
          out.tcf = { tc_string: d.tcString.slice(0, 20000), cmp_id: d.cmpId || 0, event_status: String(d.eventStatus || '') };
        clearTimeout(timer);
        resolve(out);
      });
    } catch (e) { clearTimeout(timer); resolve(out); }
  });
})()
