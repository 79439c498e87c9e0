#!/usr/bin/env bash
# Discovery readers at scale (issue 11), side by side with a peer parser in the same run:
#
#   bench/discovery_compare.sh [BUILD_DIR] [ZONE_RECORDS] [DMARC_RECORDS]
#
# 1. a generated DNS zone of ZONE_RECORDS records (default 1,000,000, about 39 MB: mostly A
#    records, with TXT (SPF, verification tokens), DKIM CNAMEs and MX records spread through it)
#    read by `blindspot detect --evidence big.zone` (reading, the dns-zonefile reader, matching
#    against the kb, the JSON output), against `ldns-read-zone` (Debian ldnsutils: parses the
#    zone into ldns records and prints it again);
# 2. a generated DMARC aggregate report of DMARC_RECORDS <record>s (default 100,000, about 70 MB)
#    read by `blindspot detect --evidence big.xml`, against `xmllint --stream --noout` (libxml2's
#    streaming reader: parses the XML, keeps nothing: a floor) and `xmllint --noout` (the whole
#    document as a tree).
#
# Each command's wall time and peak RSS (GNU time). The peers do less than blindspot (no
# matching, no report), so they are a floor, not an equal. BUILD_DIR (default build/release)
# must contain src/blindspot. Needs /usr/bin/time, ldns-read-zone and xmllint.
set -euo pipefail

build="${1:-build/release}"
zone_n="${2:-1000000}"
dmarc_n="${3:-100000}"
[[ "$build" = /* ]] || build="$PWD/$build"
blindspot="$build/src/blindspot"
[[ -x "$blindspot" ]] || { echo "discovery_compare.sh: $blindspot not found; build the target blindspot" >&2; exit 2; }
/usr/bin/time -f %e true >/dev/null 2>&1 || { echo "discovery_compare.sh: GNU time is required (package 'time')" >&2; exit 2; }
for tool in ldns-read-zone xmllint; do
  command -v "$tool" >/dev/null || { echo "discovery_compare.sh: $tool not found (apt install ldnsutils libxml2-utils)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/discovery_compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The zone: deterministic; one record in 10 is evidence (TXT, CNAME, MX), the rest A records.
awk -v n="$zone_n" 'BEGIN {
  print "$ORIGIN bench-shop.example."
  print "$TTL 3600"
  print "@ IN SOA ns1.bench-shop.example. hostmaster.bench-shop.example. ( 2026120501 7200 3600 1209600 3600 )"
  print "@ IN NS ns1.bench-shop.example."
  for (i = 3; i <= n; i++) {
    k = i % 40
    if (k == 1)       printf "h%d IN TXT \"v=spf1 include:servers.mcsv.net include:sendgrid.net ~all\"\n", i
    else if (k == 2)  printf "s%d._domainkey IN CNAME s1.domainkey.u%d.wl.sendgrid.net.\n", i, i
    else if (k == 3)  printf "m%d IN MX 10 aspmx.l.google.com.\n", i
    else if (k == 4)  printf "v%d IN TXT \"facebook-domain-verification=%016x\"\n", i, i
    else              printf "host%d IN A 192.0.%d.%d\n", i, int(i / 256) % 256, i % 256
  }
}' > "$work/big.zone"

# The DMARC report: one policy, DMARC_RECORDS rows from senders of a few platforms.
awk -v n="$dmarc_n" 'BEGIN {
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  print "<feedback>"
  print "  <report_metadata><org_name>bench receiver</org_name><email>noreply-dmarc@receiver.example</email>"
  print "    <report_id>bench-1</report_id><date_range><begin>1764547200</begin><end>1764633599</end></date_range></report_metadata>"
  print "  <policy_published><domain>bench-shop.example</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>"
  split("sendgrid.net mcsv.net bench-shop.example amazonses.com", d, " ")
  for (i = 1; i <= n; i++) {
    dk = d[i % 4 + 1]
    printf "  <record>\n    <row><source_ip>198.51.%d.%d</source_ip><count>%d</count>\n", int(i / 256) % 256, i % 256, i % 7 + 1
    print  "      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>"
    print  "    <identifiers><header_from>bench-shop.example</header_from></identifiers>"
    printf "    <auth_results><dkim><domain>%s</domain><selector>s%d</selector><result>pass</result></dkim>\n", dk, i % 3
    printf "      <spf><domain>%s</domain><result>pass</result></spf></auth_results>\n  </record>\n", dk
  }
  print "</feedback>"
}' > "$work/big.xml"

measure() {  # LABEL COMMAND...: wall seconds and peak MiB
  local label="$1" t
  shift
  if ! /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/err"; then
    echo "discovery_compare.sh: '$label' failed:" >&2
    tail -5 "$work/err" >&2
    exit 1
  fi
  t=$(tail -1 "$work/time")
  printf '%-44s %8s s %8s MiB\n' "$label" "${t% *}" "$((${t#* } / 1024))"
}

mib() { echo "$(( $(stat -c %s "$1") / 1048576 ))"; }
echo "== zone: $zone_n records, $(mib "$work/big.zone") MiB =="
measure "blindspot detect --evidence big.zone" "$blindspot" detect --evidence "$work/big.zone" --format json
measure "ldns-read-zone big.zone (parse + print)" ldns-read-zone "$work/big.zone"
echo
echo "== DMARC report: $dmarc_n records, $(mib "$work/big.xml") MiB =="
measure "blindspot detect --evidence big.xml" "$blindspot" detect --evidence "$work/big.xml" --format json
measure "xmllint --stream --noout big.xml" xmllint --stream --noout "$work/big.xml"
measure "xmllint --noout big.xml (tree)" xmllint --noout --huge "$work/big.xml"
