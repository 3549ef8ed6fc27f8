"""A DummyJSON-shaped API on loopback for the REST bench: GET /products?limit=L&skip=S answers
{"products": [...], "total": N, "skip": S, "limit": L}. Records are made once and pages are
cached as bytes, so the server costs both loaders the same and little.

    python rest_fake_server.py PORT RECORDS
"""
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

port, total = int(sys.argv[1]), int(sys.argv[2])
categories = ["beauty", "fragrances", "furniture", "groceries", "laptops", "shoes", "tops", "watches"]
records = [{
    "id": i,
    "title": f"product {i}",
    "description": f"a fine product number {i} for every day",
    "category": categories[i % len(categories)],
    "price": round(i * 0.37 % 500 + 0.99, 2),
    "discountPercentage": round(i * 0.13 % 20, 2),
    "stock": i * 7 % 150,
    "brand": f"brand {i % 97}",
    "availabilityStatus": "In Stock" if i % 5 else "Low Stock",
    "rating": {"rate": round(1 + i * 0.011 % 4, 2), "count": i * 3 % 500},
    "tags": [categories[i % len(categories)], f"tag{i % 13}"],
} for i in range(1, total + 1)]
pages = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out as separate writes; without this, Nagle's algorithm holds the
        # body for the client's delayed ACK (~40 ms a request on keep-alive connections).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        limit, skip = int(query.get("limit", 30)), int(query.get("skip", 0))
        body = pages.get((skip, limit))
        if body is None:
            body = json.dumps({"products": records[skip:skip + limit], "total": total, "skip": skip, "limit": limit}).encode()
            pages[(skip, limit)] = body
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
