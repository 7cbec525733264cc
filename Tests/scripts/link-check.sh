#!/usr/bin/env bash
# Builds the repository's site, serves it on a free loopback port and runs Debian's linkchecker
# over it (internal links only; no network). Fails on any broken link.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.build/link-check/site
rm -rf .build/link-check
.build/debug/chancery build --quiet --output "$out"
# linkchecker drops root privileges to 'nobody': the served folder must be readable by everyone.
chmod -R a+rX .build/link-check
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A plain static server; the 'LinkChecker' header lets linkchecker go faster than 10 requests a second.
python3 - "$out" "$port" >/dev/null 2>&1 <<'PY' &
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "allowed")
        super().end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), functools.partial(Handler, directory=sys.argv[1])).serve_forever()
PY
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
# linkchecker limits itself to 10 requests a second by default; this is our own loopback server.
printf '[checking]\nmaxrequestspersecond=200\n' > .build/link-check/linkcheckerrc
linkchecker --config .build/link-check/linkcheckerrc --no-status --no-warnings --threads 4 "http://127.0.0.1:$port/"
