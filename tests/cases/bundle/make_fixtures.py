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
                under performance cookies, nothing that needs consent before it
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
