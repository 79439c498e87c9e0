#!/usr/bin/env python3
"""Writes the evidence bundles under fixtures/ (docs/formats/evidence.md) that the
golden cases in this folder read. Run once after changing it; the output is committed.
Hand-made captures of a fictional shop (winkel-voorbeeld.nl):
  shop-v1       Meta Pixel before consent and after accept (BS022), a Messenger m.me link on
                every page (a link is not tracking: no BS022 for it), GA after accept
  shop-v2       the same shop fixed: the pixel only after accept
  accept-only   the pixel only after accept (no BS022)
  tampered      shop-v2 with one byte of after-accept/capture.har changed, after-reject/scan.json
                removed and notes.txt added
  not-a-bundle  a folder without manifest.json
  banner-bad    a OneTrust banner without "reject" on its first layer, rejecting takes three clicks
                and the banner comes back, Google Analytics before consent with its _ga declared
                "always active", an undeclared cookie before consent, the pixel after reject
                (tests/cases/rules: BS030-BS033, BS035)
  banner-good   the same shop done right: reject next to accept, one click each, _ga declared
                under performance cookies, nothing that needs consent before it; the settings layer
                with only the necessary category on (locked), a bar at the bottom, a TCF string
                without consent or legitimate interest after reject, three pages before consent
                without trackers (none of BS030-BS036, BS042, BS048)
  banner-pre-ticked    the settings layer with performance and advertising cookies switched on
                before any click (BS036)
  banner-tcf-li        a TCF consent manager whose string after "reject all" keeps purposes 2 and 7
                on under legitimate interest for four vendors (BS034)
  banner-browsing      Google Analytics absent on the first page, on the two later pages of the
                before-consent phase, and the TCF string recording consent on page 2 (BS042)
  banner-wall          a full-screen, scroll-locking banner offering "Akkoord" or a subscription,
                no reject; the reject step failed (BS048, pay or accept)
  banner-big-with-reject  a full-screen, scroll-locking banner with "Alles weigeren" next to
                "Alles accepteren" that the scan refused in one click (not a wall: no BS048)
  bad-scan      one page, its before-consent scan.json with "banner_found": "yes" (a string)
"""
import hashlib, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
SITE = "https://www.winkel-voorbeeld.nl/"


def entry(url, rtype="document", mime="text/html", text="", set_cookie=None, cookies=None):
    return {
        "pageref": "page_1", "startedDateTime": "2026-12-02T10:00:01.000Z", "time": 10,
        "_resourceType": rtype,
        "request": {"method": "GET", "url": url, "httpVersion": "h2", "headers": [], "queryString": [],
                    "cookies": cookies or [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "", "httpVersion": "h2",
                     "headers": [{"name": "content-type", "value": mime}],
                     "cookies": set_cookie or [],
                     "content": {"size": len(text), "mimeType": mime, "text": text},
                     "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
        "cache": {}, "timings": {"send": 1, "wait": 5, "receive": 4}}


PAGE = entry(SITE, text='<html><body><a href="https://m.me/winkelvoorbeeld">Chat</a></body></html>')
PIXEL = [entry("https://connect.facebook.net/en_US/fbevents.js", "script", "application/javascript"),
         entry("https://www.facebook.com/tr?id=1234567890&ev=PageView&dl=https%3A%2F%2Fwww.winkel-voorbeeld.nl%2F",
               "image", "image/gif",
               set_cookie=[{"name": "fr", "value": "x", "domain": ".facebook.com", "expires": "2027-03-02T10:00:00.000Z"}])]
GA = [entry("https://www.googletagmanager.com/gtag/js?id=G-ABC123", "script", "application/javascript"),
      entry("https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&en=page_view", "ping", "text/plain")]


def har(entries):
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "blindspot", "version": "0.2.0"},
                               "pages": [{"id": "page_1", "title": SITE, "startedDateTime": "2026-12-02T10:00:00.000Z",
                                          "pageTimings": {}}],
                               "entries": entries}}, indent=1) + "\n"


def scan_json(phase, extra=None):
    doc = {"phase": phase, "site": "winkel-voorbeeld.nl", "pages": [{"index": 1, "url": SITE}]}
    doc.update(extra or {})
    return json.dumps(doc, indent=1) + "\n"


def bundle(name, phases, started="2026-12-02T10:00:00Z", scans=None):
    root = os.path.join(OUT, name)
    shutil.rmtree(root, ignore_errors=True)
    files, plist = [], []
    for phase, entries in phases:
        os.makedirs(os.path.join(root, phase))
        for rel, text in ((f"{phase}/capture.har", har(entries)),
                          (f"{phase}/scan.json", scan_json(phase, (scans or {}).get(phase)))):
            data = text.encode()
            with open(os.path.join(root, rel), "wb") as f:
                f.write(data)
            files.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        plist.append({"name": phase, "har": f"{phase}/capture.har", "scan": f"{phase}/scan.json",
                      "pages": 1, "requests": len(entries)})
    manifest = {
        "format": "blindspot-evidence", "format_version": 1,
        "tool": {"name": "blindspot", "version": "0.2.0"},
        "browser": {"product": "Chrome/120.0.6099.224", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "protocol": "1.3"},
        "command": ["blindspot", "scan", SITE, "--pages", "1", "--out", name + "/"],
        "start_url": SITE, "site": "winkel-voorbeeld.nl",
        "started": started, "finished": started[:-3] + "41Z",
        "options": {"pages": 1, "concurrency": 1, "page_timeout_s": 30, "timeout_s": 600, "lang": "nl",
                    "mobile": False, "user_agent": "", "fill_forms": False, "no_private_networks": False},
        "phases": plist,
        "files": sorted(files, key=lambda f: f["path"]),
    }
    with open(os.path.join(root, "manifest.json"), "w") as f:
        f.write(json.dumps(manifest, indent=2) + "\n")
    return root


bundle("shop-v1", [("before-consent", [PAGE] + PIXEL), ("after-reject", [PAGE]),
                   ("after-accept", [PAGE] + PIXEL + GA)])
bundle("shop-v2", [("before-consent", [PAGE]), ("after-reject", [PAGE]), ("after-accept", [PAGE] + PIXEL + GA)],
       started="2026-12-09T10:00:00Z")
bundle("accept-only", [("before-consent", [PAGE]), ("after-accept", [PAGE] + PIXEL)])
t = bundle("tampered", [("before-consent", [PAGE]), ("after-reject", [PAGE]), ("after-accept", [PAGE] + PIXEL + GA)],
           started="2026-12-09T10:00:00Z")
p = os.path.join(t, "after-accept/capture.har")
data = bytearray(open(p, "rb").read())
i = data.index(b"PageView")
data[i:i + 8] = b"Purchase"  # same size, another SHA-256
open(p, "wb").write(bytes(data))
os.remove(os.path.join(t, "after-reject/scan.json"))
open(os.path.join(t, "notes.txt"), "w").write("added after the scan\n")
nb = os.path.join(OUT, "not-a-bundle")
shutil.rmtree(nb, ignore_errors=True)
os.makedirs(nb)
open(os.path.join(nb, "capture.har"), "w").write(har([PAGE]))
# Two HAR files for diff without bundles.
shutil.copy(os.path.join(OUT, "shop-v1/before-consent/capture.har"), os.path.join(OUT, "v1-before.har"))
shutil.copy(os.path.join(OUT, "shop-v2/before-consent/capture.har"), os.path.join(OUT, "v2-before.har"))


# Consent banners (tests/cases/rules). What the scan records per phase (docs/formats/evidence.md).
def consent(action, result, buttons, clicks=None, again=None):
    c = {"banner_found": True, "consent_manager": "Onetrust", "action": action, "result": result,
         "first_layer_buttons": [{"text": t, "role": r} for t, r in buttons], "self_test": None,
         "error": "", "log": []}
    if clicks is not None:
        c["clicks"] = clicks
    if again is not None:
        c["banner_shown_again"] = again
    return c


def cookie(name, days, page=1, third=False):
    c = {"name": name, "domain": ".winkel-voorbeeld.nl", "path": "/", "session": days is None,
         "http_only": False, "secure": True, "same_site": "Lax", "third_party": third, "set_by": "script",
         "first_page": page}
    if days is not None:
        c["expires"] = "2027-12-02T10:00:00.000Z"
        c["lifetime_days"] = days
    return c


def declaration(necessary, performance):
    def cat(i, name, status, names):
        return {"id": i, "name": name, "status": status,
                "cookies": [{"name": n, "host": "winkel-voorbeeld.nl", "lifetime": "365 dagen", "party": "first"}
                            for n in names]}
    return {"consent_manager": "OneTrust", "source": "https://cdn.cookielaw.org/consent/0000/0000.json",
            "categories": [cat("C0001", "Strikt noodzakelijke cookies", "always active", necessary),
                           cat("C0002", "Prestatiecookies", "inactive", performance)]}


BAD_FIRST = [("Alles accepteren", "accept"), ("Cookie-instellingen", "settings")]
GOOD_FIRST = [("Alles weigeren", "reject"), ("Alles accepteren", "accept"), ("Cookie-instellingen", "settings")]
BAD_DECL = declaration(["OptanonConsent", "_ga"], [])
GOOD_DECL = declaration(["OptanonConsent"], ["_ga", "_ga_*"])
bundle("banner-bad",
       [("before-consent", [PAGE] + GA), ("after-reject", [PAGE] + PIXEL), ("after-accept", [PAGE] + PIXEL + GA)],
       scans={"before-consent": {"consent": consent("none", "not-attempted", BAD_FIRST),
                                 "cookies": [cookie("OptanonConsent", 365), cookie("_ga", 730),
                                             cookie("ab_test_id", 30)],
                                 "cmp_declaration": BAD_DECL},
              "after-reject": {"consent": consent("reject", "clicked", BAD_FIRST, clicks=3, again=True),
                               "cookies": [cookie("OptanonConsent", 365), cookie("_fbp", 90)],
                               "cmp_declaration": BAD_DECL},
              "after-accept": {"consent": consent("accept", "clicked", BAD_FIRST, clicks=1, again=False),
                               "cookies": [cookie("OptanonConsent", 365), cookie("_ga", 730), cookie("_fbp", 90)],
                               "cmp_declaration": BAD_DECL}})
bundle("banner-good",
       [("before-consent", [PAGE]), ("after-reject", [PAGE]), ("after-accept", [PAGE] + PIXEL + GA)],
       scans={"before-consent": {"consent": consent("none", "not-attempted", GOOD_FIRST),
                                 "cookies": [cookie("OptanonConsent", 365)], "cmp_declaration": GOOD_DECL},
              "after-reject": {"consent": consent("reject", "clicked", GOOD_FIRST, clicks=1, again=False),
                               "cookies": [cookie("OptanonConsent", 365)], "cmp_declaration": GOOD_DECL},
              "after-accept": {"consent": consent("accept", "clicked", GOOD_FIRST, clicks=1, again=False),
                               "cookies": [cookie("OptanonConsent", 365), cookie("_ga", 395), cookie("_fbp", 90)],
                               "cmp_declaration": GOOD_DECL}})
bundle("bad-scan", [("before-consent", [PAGE])],
       scans={"before-consent": {"consent": {"banner_found": "yes", "result": "not-attempted"}}})


# The banner as the probe reads it without clicking (consent.second_layer, consent.banner),
# the TCF consent string (consent.tcf, pages[].tc_string) and the third-party hosts per page.
# The TC strings are built bit by bit in src/evidence/tc_string_test.cc (TheStringsTheRuleTestsUse).
TC_NOTHING = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAAAABpYAAAAAgAAAA"
TC_LI_2_7 = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAEJAABpYAAALzgBQABAAMBeYAA"  # LI purposes 2, 7, 10; vendors 1-3, 755
TC_CONSENT = "CP1R2oAP1R2oBEsAHBNLB4EAALAAAAAAABpYAGgkIAAQAAAA"  # consent purposes 1, 3, 4


def toggles(performance, advertising):
    return [{"category": "Strikt noodzakelijke cookies", "key": "ot-group-id-C0001", "kind": "category",
             "checked": True, "disabled": True},
            {"category": "Prestatiecookies", "key": "ot-group-id-C0002", "kind": "category",
             "checked": performance, "disabled": False},
            {"category": "Advertentiecookies", "key": "ot-group-id-C0004", "kind": "category",
             "checked": advertising, "disabled": False}]


def box(share, locked, terms=()):
    return {"page": 1, "viewport_share": share, "scroll_locked": locked, "inert": False,
            "paywall_terms": list(terms)}


def pages(*hosts, tc=None):
    out = []
    for i, h in enumerate(hosts):
        p = {"index": i + 1, "url": SITE if i == 0 else SITE + "pagina-%d" % (i + 1),
             "third_party_hosts": list(h)}
        if tc and tc[i]:
            p["tc_string"] = tc[i]
        out.append(p)
    return out


def with_(c, **kw):
    c = dict(c)
    c.update(kw)
    return c


GOOD_BEFORE = with_(consent("none", "not-attempted", GOOD_FIRST), second_layer=toggles(False, False),
                    banner=box(0.22, False))
GOOD_REJECT = with_(consent("reject", "clicked", GOOD_FIRST, clicks=1, again=False),
                    second_layer=toggles(False, False), tcf={"tc_string": TC_NOTHING, "from": "tcfapi", "page": 1})
GOOD_ACCEPT = consent("accept", "clicked", GOOD_FIRST, clicks=1, again=False)
COOKIES_OK = [cookie("OptanonConsent", 365)]


def banner_bundle(name, before=None, reject=None, accept=None, before_pages=None):
    bundle(name, [("before-consent", [PAGE]), ("after-reject", [PAGE]), ("after-accept", [PAGE] + PIXEL + GA)],
           scans={"before-consent": {"consent": before or GOOD_BEFORE, "cookies": COOKIES_OK,
                                     "cmp_declaration": GOOD_DECL,
                                     "pages": before_pages or pages(["cdn.cookielaw.org"], [], [])},
                  "after-reject": {"consent": reject or GOOD_REJECT, "cookies": COOKIES_OK,
                                   "cmp_declaration": GOOD_DECL},
                  "after-accept": {"consent": accept or GOOD_ACCEPT,
                                   "cookies": COOKIES_OK + [cookie("_ga", 395), cookie("_fbp", 90)],
                                   "cmp_declaration": GOOD_DECL}})


banner_bundle("banner-good")
banner_bundle("banner-pre-ticked", before=with_(GOOD_BEFORE, second_layer=toggles(True, True)))
banner_bundle("banner-tcf-li",
              reject=with_(GOOD_REJECT, tcf={"tc_string": TC_LI_2_7, "from": "cookie", "page": 1}))
bundle("banner-browsing",
       [("before-consent", [PAGE] + GA), ("after-reject", [PAGE]), ("after-accept", [PAGE] + PIXEL + GA)],
       scans={"before-consent": {"consent": GOOD_BEFORE, "cookies": COOKIES_OK, "cmp_declaration": GOOD_DECL,
                                 "pages": pages(["cdn.cookielaw.org"],
                                                ["cdn.cookielaw.org", "www.googletagmanager.com",
                                                 "region1.google-analytics.com"],
                                                ["www.googletagmanager.com", "region1.google-analytics.com"],
                                                tc=[TC_NOTHING, TC_CONSENT, TC_CONSENT])},
              "after-reject": {"consent": GOOD_REJECT, "cookies": COOKIES_OK, "cmp_declaration": GOOD_DECL},
              "after-accept": {"consent": GOOD_ACCEPT, "cookies": COOKIES_OK, "cmp_declaration": GOOD_DECL}})
WALL_FIRST = [("Akkoord", "accept"), ("Abonneer voor € 2,99 per maand", "other")]
banner_bundle("banner-wall",
              before=with_(consent("none", "not-attempted", WALL_FIRST),
                           banner=box(1.0, True, ["abonneer", "€ 2,99", "per maand"])),
              reject=consent("reject", "failed", WALL_FIRST, clicks=0, again=False),
              accept=consent("accept", "clicked", WALL_FIRST, clicks=1, again=False))
banner_bundle("banner-big-with-reject", before=with_(GOOD_BEFORE, banner=box(1.0, True)))
