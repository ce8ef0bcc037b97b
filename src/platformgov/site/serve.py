"""Serve the built site on this machine with gzip compression, as a real host would.

``python -m platformgov.site.serve _build/site --port 8000``. Python's own ``http.server`` sends
files uncompressed, which makes the theme's scripts several times heavier than on any real
host and skews speed measurements.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import threading
from functools import lru_cache, partial
from io import BytesIO
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb", ".md"}


@lru_cache(maxsize=512)
def _compressed(path: str, mtime: float) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test and benchmark output quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = _compressed(str(path), path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return BytesIO(body)


def start(root: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` in a background thread on 127.0.0.1; returns the server and its base URL."""
    handler = partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", default=Path("_build/site"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.root / "index.html").exists():
        parser.error(f"{args.root}/index.html does not exist: run `make site` first")
    server, url = start(args.root, args.port)
    print(f"Serving {args.root} at {url}/ (Ctrl+C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
