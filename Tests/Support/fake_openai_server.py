#!/usr/bin/env python3
"""A tiny OpenAI-compatible /v1/chat/completions server for Lineage's recorder tests.

Binds 127.0.0.1 on a free port and prints the port on the first stdout line. Behaviour per request is
steered by markers in the user prompt, counted per prompt:
  @status=N      answer HTTP N (with an OpenAI-style error body) ...
  @times=K       ... on the first K attempts of this prompt (default 1), then succeed
  @retry_after=S send `Retry-After: S` with the failure; @retry_after_date=S: the HTTP date S seconds ahead
  @malformed     answer 200 with a body that is not a chat completion (on the first K attempts)
  @sleep=S       sleep S seconds before answering (on the first K attempts)
  @nousage       leave out the token counts ("usage") that a successful answer otherwise reports
Hostile behaviours (issue 19; all bounded: at most a few seconds and a few MiB, loopback only):
  @redirect_port=P  answer 307 to http://127.0.0.1:P/v1/chat/completions (another origin, same loopback host)
  @drip=S        send a valid answer one byte every S seconds (keeps an idle timer alive)
  @stall=S       send the headers and half the body, then nothing for S seconds
  @big=N         send a body of N bytes (with Content-Length), in 64 KiB pieces
  @reset         reset the connection (RST) after reading the request, on the first K attempts
  @echo_key      answer 400 echoing the Authorization header raw, percent-encoded, in Base64 and cut
Options: --delay S (every successful answer), --log PATH (one JSON line per request),
env FAKE_EXPECTED_KEY: when set, a request whose bearer token differs gets 401.
The log records only whether the key matched, never the key.
"""
import base64, json, os, re, socket, struct, sys, threading, time, urllib.parse
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = sys.argv[1:]
delay = float(args[args.index("--delay") + 1]) if "--delay" in args else 0.0
log_path = args[args.index("--log") + 1] if "--log" in args else None
expected = os.environ.get("FAKE_EXPECTED_KEY")
attempts = {}
lock = threading.Lock()


def marker(prompt, name):
    m = re.search(r"@" + name + r"=(\S+)", prompt)
    return m.group(1) if m else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length) or b"{}")
        msgs = req.get("messages", [])
        prompt = next((m["content"] for m in msgs if m.get("role") == "user"), "")
        system = next((m["content"] for m in msgs if m.get("role") == "system"), None)
        auth = self.headers.get("Authorization")
        auth_state = "missing" if auth is None else ("ok" if expected and auth == "Bearer " + expected else "other")
        with lock:
            attempts[prompt] = attempts.get(prompt, 0) + 1
            n = attempts[prompt]
        entry = {"path": self.path, "prompt": prompt, "attempt": n, "t": time.time(), "auth": auth_state,
                 "system": system, "model": req.get("model"), "temperature": req.get("temperature"),
                 "max_tokens": req.get("max_tokens")}
        times = int(marker(prompt, "times") or "1")
        failing = n <= times
        status, body, headers = 200, None, {}
        if expected is not None and auth != "Bearer " + expected:
            status, body = 401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}
        elif self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
            status, body = 404, {"error": {"message": "not found"}}
        elif failing and marker(prompt, "sleep"):
            time.sleep(float(marker(prompt, "sleep")))
        if body is None and failing and marker(prompt, "status"):
            status = int(marker(prompt, "status"))
            body = {"error": {"message": "simulated failure", "type": "test"}}
            if marker(prompt, "retry_after"):
                headers["Retry-After"] = marker(prompt, "retry_after")
            if marker(prompt, "retry_after_date"):
                when = time.time() + float(marker(prompt, "retry_after_date"))
                headers["Retry-After"] = formatdate(when, usegmt=True)
        elif body is None and failing and "@malformed" in prompt:
            body = b'{"choices": [ this is not json'
        if body is None and failing and marker(prompt, "redirect_port"):
            status, body = 307, {"error": {"message": "moved"}}
            headers["Location"] = "http://127.0.0.1:%s/v1/chat/completions" % marker(prompt, "redirect_port")
        if body is None and failing and "@reset" in prompt:
            self.log(entry, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if body is None and failing and "@echo_key" in prompt:
            key = (auth or "").replace("Bearer ", "")
            echoed = "got %s / %s / %s / %s / %s" % (auth, urllib.parse.quote(key, safe=""), base64.b64encode(key.encode()).decode(),
                                                    base64.b64encode(("Bearer " + key).encode()).decode(), key[:4] + "..." + key[4:-2])
            status, body = 400, {"error": {"message": echoed}}
        if body is None and failing and (marker(prompt, "drip") or marker(prompt, "stall") or marker(prompt, "big")):
            self.log(entry, 200)
            self.hostile(prompt)
            return
        if body is None:
            if delay:
                time.sleep(delay)
            content = "I am ChatGPT, a large language model trained by OpenAI. (fake answer %d to: %s)" % (n, prompt[:60])
            body = {"id": "cmpl-%d" % n, "object": "chat.completion", "model": "fake-" + str(req.get("model")),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}
            if "@nousage" not in prompt:
                body["usage"] = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(content.split()),
                                 "total_tokens": len(prompt.split()) + len(content.split())}
        self.log(entry, status)
        self.send(status, body, headers)

    def log(self, entry, status):
        entry["status"] = status
        if log_path:
            with lock, open(log_path, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def hostile(self, prompt):
        """Drip, stall or flood a 200 answer; every loop is bounded (the client is expected to stop first)."""
        answer = json.dumps({"model": "fake", "choices": [{"index": 0, "message": {"role": "assistant", "content": "x" * 200},
                                                            "finish_reason": "stop"}]}).encode()
        big = int(marker(prompt, "big") or "0")
        length = big if big else len(answer)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            if marker(prompt, "drip"):
                step = float(marker(prompt, "drip"))
                for i in range(min(len(answer), 60)):
                    self.wfile.write(answer[i:i + 1]); self.wfile.flush(); time.sleep(step)
            elif marker(prompt, "stall"):
                self.wfile.write(answer[:len(answer) // 2]); self.wfile.flush()
                time.sleep(min(float(marker(prompt, "stall")), 20))
            else:
                piece = b" " * 65536
                sent = 0
                while sent < min(big, 64 << 20):
                    self.wfile.write(piece); sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
