#!/usr/bin/env bash
# Starts the privacy administration (blindspot serve) on the bundled example:
# a SQLite database in blindspot-data/example.db with the example shop's
# organisation, its register (examples/webshop/register.yaml), an audit of the
# example HARs, and four users: a privacy officer (with a TOTP secret to add
# to an authenticator app), a business owner, an approver and an auditor.
# Run scripts/demo.sh (or scripts/setup.sh) first; it builds the program.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/src/blindspot
[ -x "$bin" ] || { echo "build first: bash scripts/demo.sh (or bash scripts/setup.sh)" >&2; exit 2; }
db=${EXAMPLE_DB:-blindspot-data/example.db}
listen=${LISTEN:-127.0.0.1:8080}
password=${EXAMPLE_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}

if [ ! -f "$db" ]; then
  mkdir -p "$(dirname "$db")"
  org=$("$bin" org add --db "$db" --name "Fietshuis Zonnepad B.V. (example)")
  for who in admin privacy_officer business_owner approver auditor; do
    echo "$password" | "$bin" user add --db "$db" --org "$org" --email "$who@example.nl" --role "$who" \
      --password-stdin >"$(dirname "$db")/$who.txt" 2>/dev/null
  done
  token=$("$bin" token add --db "$db" --org "$org" --email privacy_officer@example.nl --name example)
  echo "$org" >"$(dirname "$db")/org.txt"
  echo "$password" >"$(dirname "$db")/password.txt"
  echo "$token" >"$(dirname "$db")/token.txt"
  chmod 600 "$(dirname "$db")"/*.txt
  # The register and an audit go in through the API, as a script would.
  "$bin" serve --db "$db" --listen 127.0.0.1:0 >"$(dirname "$db")/serve.out" 2>/dev/null &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  until grep -qs '^listening on ' "$(dirname "$db")/serve.out"; do sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$(dirname "$db")/serve.out" | head -1)
  curl -sf -X PUT -H "Authorization: Bearer $token" -H "Content-Type: application/yaml" -H "If-Match: *" \
    --data-binary @examples/webshop/register.yaml "$url/api/v1/orgs/$org/register" >/dev/null
  curl -sf -H "Authorization: Bearer $token" -F har=@examples/webshop/har/home.har \
    -F har=@examples/webshop/har/checkout.har "$url/api/v1/orgs/$org/audits" >/dev/null
  kill $pid
  wait $pid 2>/dev/null || true
  trap - EXIT
fi
dir=$(dirname "$db")
echo "== the privacy administration on the example: $db"
echo "   users: admin@ (members and tokens), privacy_officer@, business_owner@, approver@, auditor@example.nl;"
echo "   password in $dir/password.txt"
echo "   the admin and the privacy officer log in with a code (admin: $dir/admin.txt);"
echo "   the privacy officer's: add $(sed -n 's/^totp-uri //p' "$dir/privacy_officer.txt" | head -1)"
echo "   to an authenticator app (the secret is in $dir/privacy_officer.txt)"
[ -f "$dir/token.txt" ] && echo "   API: curl -H \"Authorization: Bearer \$(cat $dir/token.txt)\" http://$listen/api/v1/orgs/$(cat "$dir/org.txt")/register (docs/server.md)"
echo "   open http://$listen/ (Ctrl-C stops the server)"
exec "$bin" serve --db "$db" --listen "$listen"
