#!/usr/bin/env python3
"""Writes har/home.har and har/checkout.har for the bundled example.

The pages are site/index.html and site/checkout.html. The requests their tags
cause are listed below as Chrome DevTools records them (HAR 1.2, one page per
file, HTML bodies included, cookie values pseudonymous). Deterministic: the same
input gives byte-identical files. Run: python3 examples/webshop/make_har.py
"""
import hashlib
import json
import os
from urllib.parse import urlsplit, parse_qsl, quote

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = "https://www.fietshuis-zonnepad.nl"
T0 = "2026-11-02T09:14:{:06.3f}Z"

# A customer's e-mail address and phone number, normalised and SHA-256 hashed
# the way Meta Advanced Matching and Google enhanced conversions send them.
EMAIL_HASH = hashlib.sha256(b"j.jansen@example.org").hexdigest()
PHONE_HASH = hashlib.sha256(b"31612345678").hexdigest()

FIRST_PARTY_COOKIES = [("_fbp", "fb.1.1762074840123.1846205517"), ("_gcl_au", "1.1.775309214.1762074840"),
                       ("PHPSESSID", "r4p8sd1kq0v3b6m2n9c7x5z1aa")]


def entry(i, page, url, method="GET", status=200, mime="text/javascript", body=None, cookies=(),
          set_cookies=(), post=None, rtype="script"):
    parts = urlsplit(url)
    req_headers = [{"name": "User-Agent", "value": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
                   {"name": "Referer", "value": SITE + "/"}]
    if cookies:
        req_headers.append({"name": "Cookie", "value": "; ".join(f"{n}={v}" for n, v in cookies)})
    resp_headers = [{"name": "content-type", "value": mime}]
    for n, v, attrs in set_cookies:
        resp_headers.append({"name": "set-cookie", "value": f"{n}={v}; {attrs}"})
    e = {
        "pageref": page,
        "startedDateTime": T0.format(1.0 + i * 0.137),
        "time": 42.5,
        "_resourceType": rtype,
        "request": {
            "method": method, "url": url, "httpVersion": "h2", "headers": req_headers,
            "queryString": [{"name": n, "value": v} for n, v in parse_qsl(parts.query, keep_blank_values=True)],
            "cookies": [{"name": n, "value": v} for n, v in cookies],
            "headersSize": -1, "bodySize": len(post) if post else 0,
        },
        "response": {
            "status": status, "statusText": "OK" if status == 200 else "", "httpVersion": "h2",
            "headers": resp_headers,
            "cookies": [{"name": n, "value": v, "path": "/", "secure": True} for n, v, _ in set_cookies],
            "content": {"size": len(body or ""), "mimeType": mime},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body or ""),
        },
        "cache": {},
        "timings": {"blocked": 1.2, "dns": -1, "connect": -1, "ssl": -1, "send": 0.2, "wait": 38.1,
                    "receive": 3.0},
    }
    if body is not None:
        e["response"]["content"]["text"] = body
    if post is not None:
        e["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": post}
    return e


def page_entries(page_id, path, html_file, checkout):
    with open(os.path.join(HERE, "site", html_file), encoding="utf-8") as f:
        html = f.read()
    dl = quote(SITE + path, safe="")
    out = []
    add = lambda *a, **k: out.append(entry(len(out), page_id, *a, **k))
    add(SITE + path, mime="text/html; charset=utf-8", body=html, cookies=FIRST_PARTY_COOKIES, rtype="document")
    add(SITE + "/static/shop.css", mime="text/css", cookies=FIRST_PARTY_COOKIES, rtype="stylesheet")
    add("https://www.googletagmanager.com/gtag/js?id=AW-987654321")
    add("https://connect.facebook.net/en_US/fbevents.js")
    add("https://connect.facebook.net/signals/config/112233445566778?v=2.9.177&r=stable")
    add("https://code.tidio.co/q8zr3mkc0xa1yq7wbtn5hcd2mfq0rmlz.js")
    add("https://widget-v4.tidiochat.com/1_220_0/static/js/widget.5f1c2b.js")
    add("https://socket.tidio.co/socket.io/?ppk=q8zr3mkc0xa1yq7wbtn5hcd2mfq0rmlz&device=desktop&EIO=4&transport=polling",
        mime="text/plain", rtype="xhr")
    if checkout:
        # Meta Pixel with Advanced Matching: hashed e-mail and phone in ud[...].
        add(f"https://www.facebook.com/tr/?id=112233445566778&ev=Purchase&dl={dl}&rl=&if=false&ts=1762075012345"
            f"&cd[value]=749.00&cd[currency]=EUR&ud[em]={EMAIL_HASH}&ud[ph]={PHONE_HASH}"
            "&v=2.9.177&r=stable&ec=1&o=4124&fbp=fb.1.1762074840123.1846205517&it=1762075011002&coo=false&rqm=GET",
            mime="image/gif", rtype="image")
        # Google Ads conversion with enhanced conversions (hashed e-mail in em=).
        add(f"https://www.googleadservices.com/pagead/conversion/987654321/?random=1762075012&cv=11&fst=1762075012000"
            f"&bg=ffffff&guid=ON&async=1&gtm=45be4ai0&label=kL9xCPu1n4gZEK2c7Y0D&value=749&currency_code=EUR"
            f"&em=tv.1~em.{EMAIL_HASH}&url={dl}&frm=0&auid=775309214.1762074840", mime="text/javascript")
    else:
        add(f"https://www.facebook.com/tr/?id=112233445566778&ev=PageView&dl={dl}&rl=&if=false&ts=1762074840456"
            "&v=2.9.177&r=stable&ec=0&o=4124&fbp=fb.1.1762074840123.1846205517&it=1762074840021&coo=false&rqm=GET",
            mime="image/gif", rtype="image")
        add("https://cdn.callrail.com/companies/418273645/9f3c2e1d0b7a6c5d4e3f/12/swap.js")
        add("https://js.callrail.com/group/0/9f3c2e1d0b7a6c5d4e3f/12/swap_session.json?landing=" + dl,
            mime="application/json", rtype="xhr",
            set_cookies=[("calltrk_landing", dl, "Path=/; Max-Age=2592000; Secure"),
                         ("calltrk_session_id", "44d1f0a2-6b1e-4c0e-9a53-2f8d7e61c0b4", "Path=/; Max-Age=2592000")])
    # Google Ads remarketing (a user list is built from visits).
    add(f"https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=1762074840789&cv=11"
        f"&fst=1762074840000&bg=ffffff&guid=ON&async=1&gtm=45be4ai0&u_w=1920&u_h=1080&url={dl}&frm=0"
        "&tiba=Fietshuis%20Zonnepad&auid=775309214.1762074840&rfmt=3&fmt=4", mime="text/javascript")
    add(f"https://www.google.com/pagead/1p-user-list/987654321/?random=1762074840790&cv=11&fst=1762074840000"
        f"&bg=ffffff&guid=ON&async=1&gtm=45be4ai0&u_w=1920&u_h=1080&url={dl}&frm=0&tiba=Fietshuis%20Zonnepad"
        "&fmt=3&is_vtc=1&cid=CAQSKQB7FLtqXyZ&random=3385571905&rmt_tld=0&ipr=y", mime="image/gif", rtype="image")
    return out


def write(name, page_id, path, html_file, checkout):
    har = {"log": {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [{"startedDateTime": T0.format(1.0), "id": page_id, "title": SITE + path,
                   "pageTimings": {"onContentLoad": 612.4, "onLoad": 1104.9}}],
        "entries": page_entries(page_id, path, html_file, checkout),
    }}
    with open(os.path.join(HERE, "har", name), "w", encoding="utf-8") as f:
        json.dump(har, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    write("home.har", "page_1", "/", "index.html", False)
    write("checkout.har", "page_1", "/afrekenen/bedankt", "checkout.html", True)
