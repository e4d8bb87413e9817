#!/usr/bin/env python3
"""A local VK API (5.199) answering at once, for the pull benchmark and for looking at the
Connections page: `groups.getById` (the token's user administers the community; members_count),
`wall.get` (owner_id, offset, count <= 100; newest first, with likes/comments/reposts/views) and
`stats.getPostReach` (post_ids, at most 30). Every method is a POST of form fields to
/method/NAME; answers are {"response": ...} as VK documents (errors as HTTP 200 {"error": ...}).

    python3 bench/vk_api_server.py --posts 10000 --port 0   # prints the KEEL_VK_API_URL
"""
import argparse
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GROUP_ID = 218000001


def make_posts(n, days=80):
    now = int(time.time())
    step = max(days * 86400 // max(n, 1), 1)
    return [{"id": 10_000 + i, "date": now - 600 - i * step, "likes": (i * 7) % 50 + 1,
             "comments": i % 9, "reposts": i % 4, "views": 100 + i % 997, "reach": 80 + i % 991}
            for i in range(n)]


class Handler(BaseHTTPRequestHandler):
    posts = []
    by_id = {}

    def log_message(self, *args):
        pass

    def answer(self, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, message):
        self.answer({"error": {"error_code": code, "error_msg": message, "request_params": []}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        method = self.path.rsplit("/", 1)[-1]
        if form.get("v") != "5.199":
            return self.error(8, "Invalid request: v (version) is required")
        if method == "groups.getById":
            return self.answer({"response": {"groups": [{
                "id": GROUP_ID, "name": "Кофейня «Бариста»", "screen_name": f"club{GROUP_ID}", "is_closed": 0,
                "type": "page", "is_admin": 1, "admin_level": 3, "is_member": 1,
                "members_count": 5000 + len(self.posts)}], "profiles": []}})
        if method == "wall.get":
            offset, count = int(form.get("offset", 0)), int(form.get("count", 20))
            if count > 100:
                return self.error(100, "One of the parameters specified was missing or invalid: count")
            items = [{"inner_type": "wall_wallpost", "id": p["id"], "owner_id": -GROUP_ID, "from_id": -GROUP_ID,
                      "date": p["date"], "text": f"Пост {p['id']}", "post_type": "post", "attachments": [],
                      "comments": {"count": p["comments"]}, "likes": {"count": p["likes"]},
                      "reposts": {"count": p["reposts"]}, "views": {"count": p["views"]}}
                     for p in self.posts[offset:offset + count]]
            return self.answer({"response": {"count": len(self.posts), "items": items}})
        if method == "stats.getPostReach":
            ids = [int(i) for i in form.get("post_ids", "").split(",") if i]
            if not ids or len(ids) > 30:
                return self.error(100, "One of the parameters specified was missing or invalid: post_ids")
            return self.answer({"response": [
                {"post_id": i, "reach_total": self.by_id[i]["reach"], "reach_subscribers": self.by_id[i]["reach"] // 2,
                 "reach_viral": 0, "reach_ads": 0, "links": 0, "to_group": 0, "join_group": 0, "hide": 0,
                 "report": 0, "unsubscribe": 0} for i in ids if i in self.by_id]})
        return self.error(3, "Unknown method passed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    Handler.posts = make_posts(args.posts)
    Handler.by_id = {p["id"]: p for p in Handler.posts}
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/method", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
