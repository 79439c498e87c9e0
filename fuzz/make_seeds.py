#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets into a build folder (never into the repository).

    python3 fuzz/make_seeds.py [OUT]          # OUT defaults to build/fuzz/seeds

OUT/har       tiny HARs written here: postData as form-encoded text, JSON (Meta ud[em],
              Conversions-API user_data.em, TikTok context.user.email, Google em), text/plain
              sendBeacon bodies, params[] arrays; cookies arrays, Cookie and Set-Cookie headers;
              HTML bodies (plain and base64 content.encoding) with wa.me / tel: / mailto: links and
              fbq('init' markers; pages and pagerefs; plus truncated and invalid variants of each;
              and one-entry slices (bodies cut to 4 KB) of the real HARs in REALDATA/har, so that
              real postData/cookie/header shapes fit under -max_len; and examples/webshop/har/*.har
              (about 30 KB each) as they are.
OUT/kb        data/kb/*.yaml as they are, plus multi-file inputs joined by the kb_fuzz
              separator line "#%%" (an entry and the one its signal implies, a duplicate id, a
              dangling implies) and truncated variants.
OUT/register  examples/webshop/register.yaml and REALDATA/register/*.yml.
OUT/sheet     workbooks from the library's own writer (WriteXlsx, and the register's XLSX/CSV exports),
              written by build/fuzz/fuzz/seed_writer when it is built; the XML parts of those
              workbooks one by one (sheet_fuzz feeds an input as a part of a valid archive); hand-made
              worksheet, style, shared-string and workbook parts (dates, booleans, errors, formulas
              with and without a saved value, inline and rich text, merges valid and not); CSVs (comma,
              semicolon, tab, quoted line breaks, doubled quotes, BOM, CRLF, an unclosed quote, bytes
              that are not UTF-8); REALDATA/register/*.xlsx; workbooks cut short.
OUT/import    the example register in every export format (seed_writer), REALDATA/register/*
              (Fides YAML, the VWS JSON record, the Fides data-map XLSX), the JSON and YAML inputs of
              the importers' unit tests (raw string literals in src/io/*_importer_test.cc), and the
              CSVs of OUT/sheet.

REALDATA defaults to ../shared/realdata next to the repository (set BLINDSPOT_REALDATA_DIR to
override); it is read in place and skipped when absent. Standard library only; no network.
"""
import base64
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KB_SEPARATOR = "\n#%%\n"
MAX_SLICE_BODY = 4096
MAX_SLICES_PER_KIND = 6  # per real HAR and kind (postData mime type, cookies, html, base64)


def har(entries, pages=None, creator="seedgen"):
    log = {"version": "1.2", "creator": {"name": creator, "version": "1"}, "entries": entries}
    if pages is not None:
        log["pages"] = pages
    return {"log": log}


def entry(url, method="GET", post=None, req_cookies=None, req_headers=None, status=200, mime="text/plain",
          body=None, encoding=None, resp_cookies=None, resp_headers=None, pageref=None, rtype=None):
    req = {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": req_headers or [],
           "queryString": [], "cookies": req_cookies or [], "headersSize": -1, "bodySize": -1}
    if post is not None:
        req["postData"] = post
    content = {"size": len(body or ""), "mimeType": mime}
    if body is not None:
        content["text"] = body
    if encoding is not None:
        content["encoding"] = encoding
    resp = {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": resp_headers or [],
            "cookies": resp_cookies or [], "content": content, "redirectURL": "", "headersSize": -1,
            "bodySize": -1}
    e = {"startedDateTime": "2026-12-02T10:00:00.000Z", "time": 1, "request": req, "response": resp,
         "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
    if pageref is not None:
        e["pageref"] = pageref
    if rtype is not None:
        e["_resourceType"] = rtype
    return e


HTML = ("<!doctype html><html><head><script>!function(f,b,e,v,n,t,s){};"
        "fbq('init', '123456789');fbq('track', 'PageView');</script>"
        "<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>"
        "<noscript><img src=\"https://www.facebook.com/tr?id=123&ev=PageView&noscript=1\"></noscript></head>"
        "<body><a href=\"https://wa.me/31612345678?text=Hallo\">WhatsApp</a>"
        "<a href=\"tel:+31201234567\">bel</a> <a href=\"mailto:info@example.nl\">mail</a>"
        "<a href=\"https://api.whatsapp.com/send?phone=31612345678\">x</a> m.me/examplepage "
        "<form action=\"/contact\"><button formaction=\"https://www.example.nl/send\">s</button></form>"
        "<div data-href=\"//www.wa.me/3161\" data-src=\"javascript:void(0)\"></div>"
        "hotel:nope &amp; <iframe src=\"https://www.youtube.com/embed/x\"></iframe>"
        "<script>gtag('set', 'user_data', {email: 'a'}); window.fbq(\"init\", \"1\");</script></body></html>")


def synthetic():
    """name -> HAR object."""
    page = [{"startedDateTime": "2026-12-02T10:00:00.000Z", "id": "page_1", "title": "https://www.example.nl/",
             "pageTimings": {}}]
    doc = entry("https://www.example.nl/", mime="text/html; charset=utf-8", body=HTML, pageref="page_1",
                rtype="document")
    s = {}
    s["form_meta_ud"] = har([doc, entry(
        "https://www.facebook.com/tr/", "POST", pageref="page_1",
        post={"mimeType": "application/x-www-form-urlencoded",
              "text": "id=123&ev=Purchase&ud%5Bem%5D=a1b2c3&ud[ph]=d4e5&ud[fn]=x&cd[value]=1+0"})], page)
    s["json_meta_ud"] = har([entry(
        "https://www.facebook.com/tr/", "POST",
        post={"mimeType": "application/json", "text": json.dumps({"ud[em]": "a1b2", "ud[ph]": "c3", "id": "1"})})])
    s["json_capi_user_data"] = har([entry(
        "https://graph.facebook.com/v18.0/123/events", "POST",
        post={"mimeType": "application/json; charset=utf-8", "text": json.dumps(
            {"data": [{"event_name": "Purchase", "user_data": {"em": ["a1b2"], "ph": ["c3"]},
                       "custom_data": {"value": 1.5}}], "access_token": "x"})})])
    s["json_tiktok_email"] = har([entry(
        "https://analytics.tiktok.com/api/v2/pixel", "POST",
        post={"mimeType": "application/json", "text": json.dumps(
            {"event": "CompletePayment", "context": {"user": {"email": "a1b2", "phone_number": "c3"},
                                                     "page": {"url": "https://www.example.nl/"}}})})])
    s["json_google_em"] = har([entry(
        "https://www.google.com/pagead/1p-user-list/1/", "POST",
        post={"mimeType": "application/json", "text": "{\"em\":\"tv.1~em.a1b2\",\"gclid\":\"x\",\"ud\\u005bem]\":1}"})])
    s["json_escaped_keys"] = har([entry(
        "https://www.facebook.com/tr", "POST",
        post={"mimeType": "", "text": " {\"a\\\"b\":{\"[\":\"]\"},\"ud[em]\":[1,{\"x\":\"}\"}],\"\\u0075d[ph]\":null}"})])
    s["beacon_text_plain"] = har([entry(
        "https://ct.pinterest.com/v3/", "POST",
        post={"mimeType": "text/plain;charset=UTF-8", "text": "event=checkout&pd=%7B%22em%22%3A%22x%22%7D&tid=1"})])
    s["params_array"] = har([entry(
        "https://tr.snapchat.com/p", "POST",
        post={"mimeType": "application/x-www-form-urlencoded",
              "params": [{"name": "u_hem", "value": "a1b2"}, {"name": "pid", "value": "1"},
                         {"name": "ud[em]"}, {"value": "orphan"}]})])
    s["params_and_text"] = har([entry(
        "https://www.facebook.com/tr", "POST",
        post={"mimeType": "application/x-www-form-urlencoded", "text": "ud[em]=1",
              "params": [{"name": "ud[ph]", "value": "2"}]})])
    s["cookies_arrays"] = har([entry(
        "https://www.facebook.com/tr?id=1&ev=PageView", req_cookies=[
            {"name": "_fbp", "value": "fb.1.1.1", "domain": ".example.nl",
                                      "expires": "2027-03-02T10:00:00.000Z"}, {"name": "fr", "value": "x"},
            {"name": "_ga_ABC123", "value": "GS1"}, {"name": "", "value": "only-value"}],
        resp_cookies=[{"name": "_fbc", "value": "fb.1", "domain": ".facebook.com", "httpOnly": True,
                       "expires": None}])])
    s["cookie_headers"] = har([entry(
        "https://www.google-analytics.com/g/collect?v=2&tid=G-1&cid=1.2",
        req_headers=[{"name": "Cookie", "value": "_ga=GA1.1.1; _gid=GA1.2; a=b=c; ;=; fr=1"},
                     {"name": "cookie", "value": "_hjSessionUser_1=x"}],
        resp_headers=[{"name": "Set-Cookie", "value": "_fbp=fb.1; Path=/; Domain=.example.nl; Max-Age=7776000; Secure"},
                      {"name": "set-cookie", "value": "IDE=x; expires=Thu, 01 Jan 2026 00:00:00 GMT"},
                      {"name": "Set-Cookie", "value": "=; Domain="}])])
    s["html_plain"] = har([doc], page)
    s["html_base64"] = har([entry("https://www.example.nl/b", mime="text/html", rtype="document",
                                  body=base64.b64encode(HTML.encode()).decode(), encoding="base64")])
    s["html_base64_invalid"] = har([entry("https://www.example.nl/c", mime="text/html",
                                          body=base64.b64encode(HTML.encode()).decode()[:101] + "!*==",
                                          encoding="BASE64")])
    s["links_contact"] = har([entry(
        "https://www.example.nl/contact", mime="TEXT/HTML",
        body="tel:0201234567, mailto:x@y.nl; https://WA.ME/316?text=hoi. www.m.me/page "
             "api.whatsapp.com/send?phone=1 <a href='https://wa.me/'></a>" + "x" * 40 + "wa.me/" + "9" * 30)])
    s["url_shapes"] = har([
        entry("https://user:pw@WWW.FACEBOOK.COM.:443/tr/?ud%5Bem%5D=1&&=x&ud[ph]#frag"),
        entry("HTTPS://[::1]:8080/a?b=c"),
        entry("wss://analytics.tiktok.com/ws?x=1"),
        entry("data:text/html,<a href=wa.me/1>"),
        entry("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/123/?gclid=x&%zz=1&a+b=2"),
        entry("//no-scheme.example/x"),
        entry("https://" + "a." * 60 + "facebook.com/tr")])
    s["pages_refs"] = har([
        entry("https://www.example.nl/", pageref="p1", rtype="document"),
        entry("https://www.facebook.com/tr?id=1", pageref="p2"),
        entry("https://www.facebook.com/tr?id=2", pageref="unknown")],
        [{"id": "p1", "title": "https://www.example.nl/ Home", "startedDateTime": "x"},
         {"id": "p2", "title": "", "startedDateTime": "y"}])
    s["nulls"] = {"log": {"creator": None, "browser": None, "pages": None, "entries": [
        {"request": {"url": "https://www.facebook.com/tr", "method": None, "postData": None, "cookies": None,
                     "headers": None}, "response": None, "pageref": None},
        {"request": {"url": "https://www.facebook.com/tr", "postData": {"text": None, "params": None,
                                                                       "mimeType": None}},
         "response": {"content": {"text": None, "encoding": None}, "cookies": [None], "headers": [None]}}]}}
    s["empty_entries"] = {"log": {"entries": []}}
    s["pages_after_entries"] = {"log": {"entries": [entry("https://www.example.nl/x", pageref="p")],
                                        "pages": [{"id": "p", "title": "https://www.example.nl/"}],
                                        "browser": {"name": "Firefox", "version": "120"}}}
    return s


def variants(name, text):
    """The seed as written, plus truncated and damaged copies."""
    out = {name: text}
    b = text.encode()
    for cut in (len(b) // 3, len(b) // 2, len(b) - 2):
        if 0 < cut < len(b):
            out[f"{name}.cut{cut}"] = b[:cut]
    out[f"{name}.bom"] = b"\xef\xbb\xbf" + b
    post = b.find(b'"text"')
    if post > 0:
        out[f"{name}.badutf8"] = b[:post + 9] + b"\xc3\x28\xff" + b[post + 9:]
    out[f"{name}.trailing"] = b + b"]"
    out[f"{name}.wrongtype"] = b.replace(b'"url": "', b'"url": 7, "x": "', 1)
    return out


def slices(realdir):
    """One-entry HARs cut from the real HARs: name -> HAR object."""
    out = {}
    for path in sorted(glob.glob(os.path.join(realdir, "*.har"))):
        base = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, encoding="utf-8-sig") as f:
                data = json.load(f)
            entries = data["log"]["entries"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"skip {path}: {e}", file=sys.stderr)
            continue
        taken = {}
        for i, e in enumerate(entries):
            req, resp = e.get("request") or {}, e.get("response") or {}
            content = resp.get("content") or {}
            post = req.get("postData")
            kinds = []
            if post:
                kinds.append("post-" + str(post.get("mimeType", "")).split(";")[0].replace("/", "_"))
            if req.get("cookies") or resp.get("cookies"):
                kinds.append("cookies")
            if content.get("text") and "html" in str(content.get("mimeType", "")):
                kinds.append("html")
            if content.get("encoding"):
                kinds.append("base64")
            kind = next((k for k in kinds if taken.get(k, 0) < MAX_SLICES_PER_KIND), None)
            if kind is None:
                continue
            taken[kind] = taken.get(kind, 0) + 1
            e = json.loads(json.dumps(e))  # deep copy
            c = (e.get("response") or {}).get("content") or {}
            if isinstance(c.get("text"), str) and len(c["text"]) > MAX_SLICE_BODY:
                text = c["text"][:MAX_SLICE_BODY]
                if c.get("encoding") == "base64":
                    text = text[:len(text) // 4 * 4]
                c["text"] = text
            p = (e.get("request") or {}).get("postData") or {}
            if isinstance(p.get("text"), str) and len(p["text"]) > MAX_SLICE_BODY:
                p["text"] = p["text"][:MAX_SLICE_BODY]
            log = data["log"]
            out[f"real_{base}_{i}_{kind}"] = {"log": {"version": log.get("version", "1.2"),
                                                      "creator": log.get("creator"),
                                                      "pages": (log.get("pages") or [])[:1], "entries": [e]}}
    return out


def write(path, data):
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(rows, merges="", prefix=""):
    p = prefix + ":" if prefix else ""
    xmlns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    body = "".join(f"<{p}row{r}>{cells}</{p}row>".replace("<c", f"<{p}c").replace("</c>", f"</{p}c>")
                   for r, cells in rows)
    return f"{XML_DECL}<{p}worksheet {xmlns}><{p}sheetData>{body}</{p}sheetData>{merges}</{p}worksheet>"


def hand_parts():
    """Worksheet and other XML parts that reach what WriteXlsx never writes."""
    parts = {}
    parts["cells.xml"] = sheet_xml([
        (' r="1"', '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>9</v></c>'),
        (' r="2"', '<c r="A2" t="inlineStr"><is><r><t>Rich</t></r><r><t xml:space="preserve"> text</t></r>'
                   '<rPh><t>phonetic</t></rPh></is></c><c r="B2" s="1"><v>45000</v></c><c r="C2" s="2"><v>1.5</v></c>'
                   '<c r="D2" t="b"><v>1</v></c><c r="E2" t="b"><v>0</v></c><c r="F2" t="e"><v>#N/A</v></c>'),
        (' r="3"', '<c r="A3" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="B3"><f>1+1</f></c>'
                   '<c r="C3"><f>NOW()</f><v></v></c><c r="D3" s="1"><v>60</v></c><c r="E3" s="1"><v>61</v></c>'
                   '<c r="F3" s="1"><v>2958466</v></c><c r="G3" s="99"><v>12</v></c>'),
        ('', '<c><v>no ref</v></c><c><v>next</v></c><c r="AA4"><v>far</v></c>'),
        (' r="7"', '<c r="b7"><v>lower</v></c><c r="XFD7"><v>last column</v></c>'),
    ], '<mergeCells count="4"><mergeCell ref="A1:C1"/><mergeCell ref="A2:B9"/><mergeCell ref="C3:A1"/>'
       '<mergeCell ref="nonsense"/></mergeCells>')
    parts["prefixed.xml"] = sheet_xml([(' r="1"', '<c r="A1" t="inlineStr"><is><t>x:prefix</t></is></c>')],
                                      prefix="x")
    parts["bad-refs.xml"] = sheet_xml([(' r="0"', '<c r="A0"><v>1</v></c>'), (' r="2"', '<c r="1A"><v>1</v></c>')])
    parts["huge-merge.xml"] = sheet_xml([(' r="1"', '<c r="A1" t="inlineStr"><is><t>fill</t></is></c>')],
                                        '<mergeCells><mergeCell ref="A1:XFD1048576"/><mergeCell ref="A1:Z100"/>'
                                        '</mergeCells>')
    parts["row-limit.xml"] = sheet_xml([(' r="1048577"', '<c r="A1048577"><v>1</v></c>')])
    parts["shared.xml"] = (XML_DECL + f'<sst {NS} count="3" uniqueCount="3"><si><t>Naam</t></si>'
                           '<si><r><rPr><b/></rPr><t>Do</t></r><r><t>el</t></r></si><si><t>Gr&#246;nd&amp;</t></si></sst>')
    parts["styles.xml"] = (XML_DECL + f'<styleSheet {NS}><numFmts count="3"><numFmt numFmtId="164" '
                           'formatCode="[$-413]d\\ mmmm\\ yyyy;@"/><numFmt numFmtId="165" formatCode="hh:mm:ss"/>'
                           '<numFmt numFmtId="166" formatCode="&quot;day&quot;0"/></numFmts><cellXfs count="5">'
                           '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>'
                           '<xf numFmtId="166"/></cellXfs></styleSheet>')
    parts["workbook.xml"] = (XML_DECL + f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/'
                             'officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets>'
                             '<sheet name="Register" sheetId="1" r:id="rId1"/><sheet name="Missing" sheetId="2" '
                             'r:id="rId9"/></sheets></workbook>')
    parts["rels.xml"] = (XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/../worksheets/'
                         'sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="./sharedStrings.xml"/>'
                         '</Relationships>')
    return parts


def hand_csvs():
    return {
        "comma.csv": "Naam verwerking,Doel,Grondslag\nSalaris,Betalen,Wettelijke plicht\n",
        "semicolon.csv": "Name;Purpose;Lawful basis\r\nCRM;Customer care;Contract\r\n",
        "tab.csv": "Activity\tPurpose\tData subjects\nNewsletter\tMarketing\tCustomers\n",
        "quoted.csv": 'a,"b, with comma","multi\nline ""quoted"""\n"",x,\n\n,,\n',
        "bom.csv": "\ufeffZweck,Empf\u00e4nger\nLohn,Finanzamt\n",
        "unclosed.csv": 'a,b\n"never closed,c\n',
        "not-utf8.csv": b"Naam,Doel\nCaf\xe9,x\n",
        "long-cell.csv": "h\n" + "\u00e9" * 150 + "\n",
        "wide.csv": ",".join(f"c{i}" for i in range(50)) + "\n",
        "quote-inside.csv": 'a,b"c,d\n"x"y,z\n',
    }


def raw_literals(path):
    """The C++ raw string literals of a test file that look like register inputs."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    out = []
    for m in re.finditer(r'R"([^(\s]{0,16})\((.*?)\)\1"', src, re.S):
        text = m.group(2)
        if len(text) >= 30 and (text.lstrip()[:1] in "{[" or ":" in text.split("\n", 1)[0]):
            out.append(text)
    return out


def xlsx_parts(data):
    """The XML parts sheet_fuzz puts into its archive, from one workbook."""
    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for n in z.namelist():
                if n.startswith("xl/") and n.endswith((".xml", ".rels")) and "theme" not in n:
                    out[n.replace("/", "_")] = z.read(n)
    except zipfile.BadZipFile:
        pass
    return out


def sheet_and_import_seeds(out, realdata):
    sheet_dir, import_dir = os.path.join(out, "sheet"), os.path.join(out, "import")
    writer = os.environ.get("BLINDSPOT_SEED_WRITER", os.path.join(os.path.dirname(out), "fuzz", "seed_writer"))
    if os.access(writer, os.X_OK):
        subprocess.run([writer, os.path.join(ROOT, "examples", "webshop", "register.yaml"), out], check=True)
    else:
        print(f"no {writer}: build it (ninja -C build/fuzz seed_writer) for the XLSX seeds", file=sys.stderr)
    for name, text in hand_parts().items():
        write(os.path.join(sheet_dir, "part-" + name), text)
    for name, text in hand_csvs().items():
        write(os.path.join(sheet_dir, name), text)
        write(os.path.join(import_dir, name), text)
    for p in sorted(glob.glob(os.path.join(realdata, "register", "*.xlsx"))):
        shutil.copy(p, sheet_dir)
    for p in sorted(glob.glob(os.path.join(sheet_dir, "*.xlsx"))):
        with open(p, "rb") as f:
            data = f.read()
        base = os.path.splitext(os.path.basename(p))[0]
        if base.startswith("writer-") or base.startswith("export-xlsx"):
            for part, text in xlsx_parts(data).items():
                write(os.path.join(sheet_dir, f"{base}.{part}"), text)
        write(os.path.join(sheet_dir, f"{base}.cut.xlsx"), data[: len(data) // 2])
    for p in [os.path.join(ROOT, "examples", "webshop", "register.yaml")] + \
            sorted(glob.glob(os.path.join(realdata, "register", "*.yml"))) + \
            sorted(glob.glob(os.path.join(realdata, "register", "*.json"))) + \
            sorted(glob.glob(os.path.join(realdata, "register", "*.xlsx"))):
        if os.path.isfile(p):
            shutil.copy(p, import_dir)
    for p in sorted(glob.glob(os.path.join(ROOT, "src", "io", "*_importer_test.cc"))):
        base = os.path.basename(p).replace("_importer_test.cc", "")
        for i, text in enumerate(raw_literals(p)):
            write(os.path.join(import_dir, f"test-{base}-{i}.txt"), text)


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "fuzz", "seeds"))
    if os.path.commonpath([out, ROOT]) == ROOT and not out.startswith(os.path.join(ROOT, "build") + os.sep):
        sys.exit(f"refusing to write seeds into the repository outside build/: {out}")
    realdata = os.environ.get("BLINDSPOT_REALDATA_DIR", os.path.join(os.path.dirname(ROOT), "shared", "realdata"))
    for sub in ("har", "kb", "register", "sheet", "import"):
        d = os.path.join(out, sub)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)

    har_seeds = {}
    for name, obj in synthetic().items():
        har_seeds.update(variants(name, json.dumps(obj, indent=1)))
        har_seeds[name + ".min"] = json.dumps(obj, separators=(",", ":"))
    if os.path.isdir(os.path.join(realdata, "har")):
        for name, obj in slices(os.path.join(realdata, "har")).items():
            har_seeds[name] = json.dumps(obj, separators=(",", ":"))
    else:
        print(f"no real HARs at {realdata}/har: synthetic seeds only", file=sys.stderr)
    for p in sorted(glob.glob(os.path.join(ROOT, "examples", "webshop", "har", "*.har"))):
        with open(p, "rb") as f:
            har_seeds["example_" + os.path.splitext(os.path.basename(p))[0]] = f.read()
    for name, data in har_seeds.items():
        write(os.path.join(out, "har", name + ".har"), data)

    kb_files = sorted(glob.glob(os.path.join(ROOT, "data", "kb", "*.yaml")))
    texts = {}
    for p in kb_files:
        with open(p, encoding="utf-8") as f:
            texts[os.path.basename(p)] = f.read()
        shutil.copy(p, os.path.join(out, "kb"))
    kb_seeds = {}
    if "meta-pixel.yaml" in texts and "meta-custom-audiences.yaml" in texts:
        pair = texts["meta-pixel.yaml"] + KB_SEPARATOR + texts["meta-custom-audiences.yaml"]
        kb_seeds["multi_implies.yaml"] = pair
        kb_seeds["multi_dangling.yaml"] = texts["meta-pixel.yaml"]
        kb_seeds["multi_duplicate.yaml"] = texts["meta-custom-audiences.yaml"] + KB_SEPARATOR + \
            texts["meta-custom-audiences.yaml"]
        for cut in (len(pair) // 4, len(pair) // 2):
            kb_seeds[f"multi_implies.cut{cut}.yaml"] = pair[:cut]
    three = [t for n, t in sorted(texts.items())[:3]]
    if three:
        kb_seeds["multi_three.yaml"] = KB_SEPARATOR.join(three)
    for name, data in kb_seeds.items():
        write(os.path.join(out, "kb", name), data)

    regs = [os.path.join(ROOT, "examples", "webshop", "register.yaml")]
    regs += sorted(glob.glob(os.path.join(realdata, "register", "*.yml")))
    for p in regs:
        if os.path.isfile(p):
            shutil.copy(p, os.path.join(out, "register"))

    sheet_and_import_seeds(out, realdata)

    for sub in ("har", "kb", "register", "sheet", "import"):
        d = os.path.join(out, sub)
        files = os.listdir(d)
        size = sum(os.path.getsize(os.path.join(d, f)) for f in files)
        big = max((os.path.getsize(os.path.join(d, f)) for f in files), default=0)
        print(f"{d}: {len(files)} files, {size} bytes, largest {big}")


if __name__ == "__main__":
    main()
