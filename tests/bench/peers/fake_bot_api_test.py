#!/usr/bin/python3
"""The fake Bot API of `make bench-peers` (fake_bot_api.cpp) keeps its promises, so that the
benchmark's figures can be trusted: held long polls, offsets and limits, the answer delay, the
parameter encodings the peers use, pipelined requests, and the "done" line at the N-th answer.
Run by CTest (quick); argument: the fake-bot-api binary."""
import json
import queue
import socket
import subprocess
import sys
import threading
import time


class Api:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.expect("port").split()[1])

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def expect(self, word, timeout=10):
        line = self.lines.get(timeout=timeout)
        assert line.split()[0] == word, f"expected {word!r}, got {line!r}"
        return line

    def say(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def close(self):
        self.proc.stdin.close()
        assert self.proc.wait(10) == 0


def request(method, body, content_type="application/json", chunked=False):
    head = f"POST /bot1:t/{method} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
    data = body.encode()
    if chunked:
        half = len(data) // 2
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (data[:half], data[half:]) if c)
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + chunks + b"0\r\n\r\n"
    return (head + f"Content-Length: {len(data)}\r\n\r\n").encode() + data


def read_response(sock, buf):
    while b"\r\n\r\n" not in buf[0]:
        buf[0] += sock.recv(65536)
    head, rest = buf[0].split(b"\r\n\r\n", 1)
    length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")][0]
                 .split(b":")[1])
    while len(rest) < length:
        rest += sock.recv(65536)
    buf[0] = rest[length:]
    assert head.startswith(b"HTTP/1.1 200"), head
    return json.loads(rest[:length])


def call(sock, buf, method, body, **kw):
    sock.sendall(request(method, body, **kw))
    return read_response(sock, buf)


def test_updates_and_delay(binary):
    api = Api(binary, "--updates", "250", "--chats", "100", "--delay-ms", "50")
    sock, buf = api.connect(), [b""]
    me = call(sock, buf, "getMe", "")
    assert me["ok"] and me["result"]["is_bot"], me

    # A long poll before "go" is held, and answered as soon as the updates are released.
    poller, pbuf = api.connect(), [b""]
    poller.sendall(request("getUpdates", '{"offset":0,"timeout":5}'))
    api.expect("polling")
    api.say("go")
    first = read_response(poller, pbuf)["result"]
    assert [u["update_id"] for u in first] == list(range(1, 101)), first[:2]
    chats = [u["message"]["chat"]["id"] for u in first]
    assert chats[0] == 1000001 and chats[99] == 1000100 and len(set(chats)) == 100
    assert all(u["message"]["text"] == "/start" for u in first)
    assert first[0]["message"]["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]

    # Offsets as numbers, as telebot's strings, and in a query string; the limit is kept.
    page = call(sock, buf, "getUpdates", '{"offset":"101","limit":"100","timeout":"5"}')["result"]
    assert [u["update_id"] for u in page] == list(range(101, 201))
    sock.sendall(b"GET /bot1:t/getUpdates?offset=241&limit=5 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [u["update_id"] for u in read_response(sock, buf)["result"]] == list(range(241, 246))
    page = call(sock, buf, "getUpdates", '{"offset":201,"timeout":5}')["result"]
    assert [u["update_id"] for u in page] == list(range(201, 251))

    # Past the queue a poll is held for its timeout, then answered empty.
    started = time.monotonic()
    assert call(sock, buf, "getUpdates", '{"offset":251,"timeout":1}')["result"] == []
    assert time.monotonic() - started >= 0.9

    # Each sendMessage is answered no sooner than the delay, whatever its encoding; two pipelined
    # requests come back in order.
    form = {"content_type": "application/x-www-form-urlencoded"}
    for chat, body, kw in ((1000007, '{"chat_id":1000007,"text":"hi"}', {}),
                           (1000008, '{"chat_id":"1000008","text":"hi"}', {"chunked": True}),
                           (1000009, "chat_id=1000009&text=hi", form)):
        started = time.monotonic()
        answer = call(sock, buf, "sendMessage", body, **kw)
        assert time.monotonic() - started >= 0.05
        assert answer["ok"] and answer["result"]["chat"]["id"] == chat, answer
    sock.sendall(request("sendMessage", '{"chat_id":1000010,"text":"a"}') +
                 request("sendMessage", '{"chat_id":1000011,"text":"b"}'))
    assert read_response(sock, buf)["result"]["chat"]["id"] == 1000010
    assert read_response(sock, buf)["result"]["chat"]["id"] == 1000011
    api.say("stats")
    assert api.expect("stats").split()[1] == "answers=5"
    api.close()


def test_done_at_the_last_answer(binary):
    api = Api(binary, "--updates", "300", "--chats", "7")
    sock, buf = api.connect(), [b""]
    api.say("go")
    offset, answered = 1, 0
    while offset <= 300:
        updates = call(sock, buf, "getUpdates", f'{{"offset":{offset},"timeout":5}}')["result"]
        for u in updates:
            chat = u["message"]["chat"]["id"]
            assert 1000001 <= chat <= 1000007
            assert call(sock, buf, "sendMessage", f'{{"chat_id":{chat},"text":"x"}}')["ok"]
            answered += 1
        offset = updates[-1]["update_id"] + 1
    api.expect("polling")
    done = api.expect("done")
    assert "answers=300" in done and "elapsed_s=" in done and "server_cpu_s=" in done, done
    assert answered == 300
    api.close()


def main():
    binary = sys.argv[1]
    test_updates_and_delay(binary)
    test_done_at_the_last_answer(binary)
    print("fake_bot_api_test: all checks passed")


if __name__ == "__main__":
    main()
