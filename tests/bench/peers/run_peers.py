#!/usr/bin/python3
"""`make bench-peers` (docs/benchmarks.md): this bot and three peer bots against one fake Bot API.

Every run starts the fake Bot API (tests/bench/peers/fake_bot_api.cpp) with a fresh queue of N
`/start` updates over C chats, starts one bot against it, waits until the bot polls and sits idle,
then says "go" and waits until all N updates have been answered with a sendMessage. Measured per
run: updates/s (N over the time from "go" to the N-th answer), the bot's CPU per update
(utime+stime of the bot's process tree from /proc/<pid>/stat over that same window), its peak RSS
(VmHWM summed over the tree) and the fake server's own CPU. Rounds interleave the bots and the
answer delays; the table shows medians over the rounds and ratios against this bot.
"""
import argparse
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")
TOKEN = "123456789:bench-peers-token"


def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid):
    kids, todo, seen = children_map(), [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(kids.get(p, []))
    return seen


def cpu_seconds(pid):
    """utime+stime of pid and its descendants (live threads and reaped ones alike)."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def runqueue_waits(pid):
    """Nanoseconds each live thread of the tree spent runnable but waiting for a CPU
    (/proc/.../schedstat): how much the other load on the machine held the bot back."""
    waits = {}
    for p in tree(pid):
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/schedstat") as f:
                    waits[int(t)] = int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return waits


def waited_seconds(before, after):
    """Run-queue wait between two runqueue_waits() samples (threads that ended meanwhile are
    missed: an under-estimate)."""
    return sum(ns - before.get(tid, 0) for tid, ns in after.items()) / 1e9


def peak_rss_mb(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def raise_priority(nice):
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    except OSError:
        pass  # not permitted: the fake API competes like any process, its wait shows it


class FakeApi:
    def __init__(self, binary, updates, chats, delay_ms, nice):
        self.proc = subprocess.Popen(
            [binary, "--updates", str(updates), "--chats", str(chats), "--delay-ms", str(delay_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
            preexec_fn=lambda: raise_priority(nice))
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.expect("port", 10).split()[1])

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def expect(self, word, timeout, alive=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if alive and not alive():
                    raise RuntimeError(f"the bot exited while waiting for '{word}'")
                continue
            if line is None:
                raise RuntimeError("the fake Bot API exited")
            if line.split()[0] == word:
                return line
        return None

    def say(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class TlsFront:
    """Debian's HAProxy terminating TLS before the fake API, as api.telegram.org is reached:
    HTTP/2 or HTTP/1.1 as each client offers (ALPN), plain HTTP/1.1 behind. Every bot trusts the
    throw-away certificate through its own setting (see bots()); its CPU counts as the server's."""

    def __init__(self, workdir, cert, api_port):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        fd = self.sock.fileno()
        config = os.path.join(workdir, "haproxy.cfg")
        with open(config, "w") as f:
            f.write("defaults\n  mode http\n  timeout connect 2s\n  timeout client 120s\n"
                    "  timeout server 120s\n"
                    f"frontend tls\n  bind fd@{fd} ssl crt {cert['combined']} alpn h2,http/1.1\n"
                    "  default_backend api\n"
                    # One HTTP/2 connection's streams each need a server connection behind them.
                    f"backend api\n  http-reuse always\n  server api 127.0.0.1:{api_port}\n")
        with open(os.path.join(workdir, "haproxy-output.txt"), "w") as out:
            self.proc = subprocess.Popen(["/usr/sbin/haproxy", "-db", "-f", config],
                                         pass_fds=[fd], stdout=out, stderr=subprocess.STDOUT)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()


def make_cert(directory):
    """A throw-away certificate for 127.0.0.1 (openssl), as the files each party wants."""
    cert = {k: os.path.join(directory, f"{k}.pem") for k in ("cert", "key", "combined")}
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", cert["key"], "-out", cert["cert"]], check=True,
                   capture_output=True)
    with open(cert["combined"], "w") as out:
        for part in ("cert", "key"):
            with open(cert[part]) as f:
                out.write(f.read())
    return cert


def fields(line):
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}


def wait_idle(pid, quiet_s=0.3, limit_s=10):
    """Waits until the bot's start-up work is over: no CPU tick for quiet_s (at most limit_s)."""
    deadline = time.monotonic() + limit_s
    last, since = cpu_seconds(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = cpu_seconds(pid)
        if now - last > 1.5 / TICKS:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return True
    return False


def stop(proc):
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_once(args, bot, delay_ms):
    api = FakeApi(args.fake_api, args.updates, args.chats, delay_ms, args.api_nice)
    workdir = tempfile.mkdtemp(prefix="bench-peers-")
    front = TlsFront(workdir, args.cert, api.port) if args.tls else None
    url = f"https://127.0.0.1:{front.port}" if front else f"http://127.0.0.1:{api.port}"
    ca = args.cert["cert"] if front else ""
    env = {"PATH": "/usr/bin:/bin", "HOME": workdir, "LANG": "C.UTF-8", "LANGUAGE": "ru",
           "BENCH_API_URL": url, "BENCH_TOKEN": TOKEN}
    env.update({k: v.format(url=url, token=TOKEN, dir=workdir, ca=ca)
                for k, v in bot["env"].items() if front or "{ca}" not in v})
    log = open(os.path.join(workdir, "bot-output.txt"), "w")
    proc = subprocess.Popen(bot["cmd"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    result = {"bot": bot["name"], "delay_ms": delay_ms}
    try:
        if not api.expect("polling", 60, alive=lambda: proc.poll() is None):
            raise RuntimeError("the bot never called getUpdates")
        wait_idle(proc.pid)
        cpu0, wait0 = cpu_seconds(proc.pid), runqueue_waits(proc.pid)
        api_wait0 = runqueue_waits(api.proc.pid)
        front_cpu0 = cpu_seconds(front.proc.pid) if front else 0
        api.say("go")
        done = api.expect("done", args.timeout, alive=lambda: proc.poll() is None)
        cpu1, wait1 = cpu_seconds(proc.pid), runqueue_waits(proc.pid)
        api_wait1 = runqueue_waits(api.proc.pid)
        front_cpu = cpu_seconds(front.proc.pid) - front_cpu0 if front else 0
        rss = peak_rss_mb(proc.pid)
        time.sleep(0.5)  # answers beyond N (duplicates) would arrive meanwhile
        api.say("stats")
        stats = fields(api.expect("stats", 10))
        if not done:
            raise RuntimeError(f"only {int(stats['answers'])} of {args.updates} answered in "
                               f"{args.timeout} s")
        d = fields(done)
        result.update(ok=True, elapsed_s=d["elapsed_s"], rate=args.updates / d["elapsed_s"],
                      cpu_us=(cpu1 - cpu0) / args.updates * 1e6, rss_mb=rss,
                      bot_cores=(cpu1 - cpu0) / d["elapsed_s"],
                      wait_us=waited_seconds(wait0, wait1) / args.updates * 1e6,
                      server_cpu_us=(d["server_cpu_s"] + front_cpu) / args.updates * 1e6,
                      server_busy=d["server_cpu_s"] / d["elapsed_s"],
                      front_busy=front_cpu / d["elapsed_s"],
                      server_wait_us=waited_seconds(api_wait0, api_wait1) / args.updates * 1e6,
                      server_nice=os.getpriority(os.PRIO_PROCESS, api.proc.pid),
                      extra_answers=int(stats["answers"]) - args.updates,
                      load=os.getloadavg()[0])
    except RuntimeError as e:
        result.update(ok=False, error=str(e))
    finally:
        stop(proc)
        api.close()
        if front:
            front.close()
        log.close()
        if result.get("ok") and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            result["log"] = os.path.join(workdir, "bot-output.txt")
            print(f"  kept {workdir}", flush=True)
    return result


def bots(args):
    # Each trusts the TLS front's certificate (--tls) its own way; without --tls, "{ca}" entries
    # are left out.
    ours_env = {"TELEGRAM_BOT_TOKEN": "{token}", "TELEGRAM_API_URL": "{url}",
                "TELEGRAM_CA_FILE": "{ca}",
                "DATA_DIR": "{dir}/data", "LOG_DIR": "{dir}/logs", "HEALTH_PORT": "0",
                "WEBHOOK_PORT": "0", "SANDBOX_PORT": "0", "TELEGRAM_RATE_LIMITS": "off",
                "CHAT_BACKLOG_LIMIT": "0", "NOCTURNA_SHARE_DIR": args.share}
    ours = [{"name": f"this bot (TELEGRAM_CONNECTIONS={n}{', default' if n == 16 else ''})",
             "ours": n == 16, "cmd": [args.bot, "run"],
             "env": dict(ours_env, TELEGRAM_CONNECTIONS=str(n))} for n in args.connections]
    if args.baseline:
        ours += [{"name": f"baseline (TELEGRAM_CONNECTIONS={n})", "cmd": [args.baseline, "run"],
                  "env": dict(ours_env, TELEGRAM_CONNECTIONS=str(n))} for n in args.connections]
    return ours + [
        {"name": "telebot v3 (Go)", "cmd": [args.telebot], "env": {"SSL_CERT_FILE": "{ca}"}},
        {"name": "grammY + runner (Node)", "cmd": ["nodejs", args.grammy],
         "env": {"NODE_EXTRA_CA_CERTS": "{ca}"}},
        {"name": "python-telegram-bot 13.15", "cmd": ["/usr/bin/python3", args.ptb],
         "env": {"BENCH_PTB_WORKERS": str(args.ptb_workers), "BENCH_CA_FILE": "{ca}"}},
    ]


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return "?"


def node_package(args, name):
    modules = os.path.join(os.path.dirname(args.grammy), "node_modules")
    try:
        with open(os.path.join(modules, name, "package.json")) as f:
            return json.load(f)["version"]
    except OSError:
        return "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (f"{os.cpu_count()} CPUs (`nproc` = {version(['nproc'])}), {model}, "
            f"Linux {platform.release()}, load average {os.getloadavg()[0]:.2f} at the start")


def fmt_ratio(value, base):
    return f"{value / base:.2f}×" if base else "–"


def table(results, names, delay_ms, base_name):
    med = {}
    for name in names:
        runs = [r for r in results if r["bot"] == name and r["delay_ms"] == delay_ms]
        good = [r for r in runs if r.get("ok")]
        if not good:
            med[name] = None
            continue
        med[name] = {k: statistics.median(r[k] for r in good)
                     for k in ("rate", "cpu_us", "rss_mb", "bot_cores", "wait_us", "server_cpu_us",
                               "server_busy", "front_busy", "server_wait_us", "load")}
        med[name]["failed"] = len(runs) - len(good)
        med[name]["extra"] = max(r["extra_answers"] for r in good)
    base = med.get(base_name)
    rows = ["| bot | updates/s | vs this bot | bot CPU per update | vs this bot | peak RSS "
            "| vs this bot | bot cores busy | bot waiting for a CPU, per update "
            "| fake API CPU per update | fake API busy | fake API waiting for a CPU, per update "
            "| load average |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in names:
        m = med[name]
        if m is None:
            rows.append(f"| {name} | failed in every round |" + " |" * 11)
            continue
        note = ""
        if m["failed"]:
            note += f" ({m['failed']} round(s) failed)"
        if m["extra"]:
            note += f" ({m['extra']} answers beyond N)"
        server = f"{m['server_busy'] * 100:.0f} %"
        if m["server_busy"] >= 0.9:
            server += " **bottleneck**"
        if m["front_busy"]:
            server += f" (HAProxy {m['front_busy'] * 100:.0f} % of a core)"
        rows.append(
            f"| {name}{note} | {m['rate']:,.0f} | {fmt_ratio(m['rate'], base and base['rate'])} "
            f"| {m['cpu_us']:,.0f} µs | {fmt_ratio(m['cpu_us'], base and base['cpu_us'])} "
            f"| {m['rss_mb']:,.0f} MB | {fmt_ratio(m['rss_mb'], base and base['rss_mb'])} "
            f"| {m['bot_cores']:.2f} | {m['wait_us']:,.0f} µs | {m['server_cpu_us']:.1f} µs "
            f"| {server} | {m['server_wait_us']:,.1f} µs | {m['load']:.1f} |")
    good = [r for r in results if r.get("ok") and r["delay_ms"] == delay_ms]
    if good:
        worst = max(r["server_cpu_us"] for r in good)
        busiest = max(r["server_busy"] for r in good)
        verdict = ("it was the bottleneck in some run (busy ≥ 90 % of its one core)"
                   if busiest >= 0.9 else "it was the bottleneck in none of them")
        rows.append("")
        rows.append(f"Fake API: at most {worst:.1f} µs of CPU per update in these runs, so one core "
                    f"serves at least {1e6 / worst:,.0f} updates/s; at most {busiest * 100:.0f} % "
                    f"busy: {verdict}. It ran at nice {good[0]['server_nice']}.")
    return "\n".join(rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build", help="the CMake build directory")
    p.add_argument("--updates", type=int, default=20000)
    p.add_argument("--chats", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--delays", default="0,50", help="sendMessage answer delays in ms")
    p.add_argument("--connections", default="16,128", help="TELEGRAM_CONNECTIONS of this bot")
    p.add_argument("--ptb-workers", type=int, default=128,
                   help="python-telegram-bot worker threads (its pool: workers + 4 connections)")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed for one run")
    p.add_argument("--only", default="", help="comma-separated substrings of bot names to run")
    p.add_argument("--api-nice", type=int, default=-10,
                   help="priority of the fake API, which stands for Telegram on other machines "
                        "(ignored where not permitted)")
    p.add_argument("--baseline", help="another nocturna-bot binary (e.g. a build of an older "
                   "commit), run beside this one as the rows named baseline")
    p.add_argument("--tls", action="store_true",
                   help="reach the fake API over TLS through HAProxy, which offers HTTP/2 "
                        "(as api.telegram.org does) and HTTP/1.1")
    p.add_argument("--keep", action="store_true", help="keep every run's directory and logs")
    p.add_argument("--out", help="also write the report (Markdown) here")
    args = p.parse_args()
    b = os.path.abspath(args.build)
    args.bot = os.path.join(b, "nocturna-bot")
    args.fake_api = os.path.join(b, "fake-bot-api")
    args.telebot = os.path.join(b, "bench-peers", "telebot-peer")
    args.grammy = os.path.join(b, "bench-peers", "js", "bot.js")
    args.ptb = os.path.join(here, "py", "bot.py")
    args.share = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "share")
    args.connections = [int(c) for c in args.connections.split(",")]
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
    delays = [int(d) for d in args.delays.split(",")]
    if args.tls:
        args.cert = make_cert(tempfile.mkdtemp(prefix="bench-peers-cert-"))
    all_bots = bots(args)
    if args.only:
        all_bots = [x for x in all_bots if any(s in x["name"] for s in args.only.split(","))]
    names = [x["name"] for x in all_bots]
    base_name = next((x["name"] for x in all_bots if x.get("ours")), None)

    header = [f"Machine: {machine()}.",
              f"Workload: {args.updates:,} `/start` updates over {args.chats:,} chats, "
              f"{args.rounds} interleaved rounds, medians; ratios against {base_name}.",
              ("Transport: TLS through HAProxy (HTTP/2 or HTTP/1.1 by ALPN) before the fake API; "
               "the fake API's CPU includes HAProxy's." if args.tls else
               "Transport: plain HTTP/1.1 to the fake API."),
              "Versions: " + "; ".join([
                  version(["go", "version"]), "telebot " + version(
                      ["dpkg-query", "-W", "-f=${Version}", "golang-gopkg-telebot.v3-dev"]),
                  "node " + version(["nodejs", "--version"]),
                  "python-telegram-bot " + version(["/usr/bin/python3", "-c",
                                                    "import telegram; print(telegram.__version__)"]),
                  "grammy " + node_package(args, "grammy"),
                  "@grammyjs/runner " + node_package(args, "@grammyjs/runner")]) + "."]
    print("\n".join(header), flush=True)
    results = []
    started = time.monotonic()
    for rnd in range(1, args.rounds + 1):
        for delay in delays:
            for bot in all_bots:
                r = run_once(args, bot, delay)
                r["round"] = rnd
                results.append(r)
                if r.get("ok"):
                    print(f"round {rnd}, answers after {delay} ms, {bot['name']}: "
                          f"{r['rate']:,.0f} updates/s, {r['cpu_us']:.0f} µs CPU/update, "
                          f"{r['rss_mb']:.0f} MB peak RSS, fake API {r['server_busy'] * 100:.0f} % "
                          f"busy, {r['wait_us']:.0f} µs waiting for a CPU/update, load average "
                          f"{r['load']:.1f}", flush=True)
                else:
                    print(f"round {rnd}, answers after {delay} ms, {bot['name']}: FAILED: "
                          f"{r['error']} (log: {r['log']})", flush=True)
    if args.tls:
        shutil.rmtree(os.path.dirname(args.cert["cert"]), ignore_errors=True)
    report = header[:]
    report.append(f"Load average {os.getloadavg()[0]:.2f} at the end; "
                  f"{time.monotonic() - started:.0f} s in all.")
    for delay in delays:
        report.append("")
        report.append(f"Every sendMessage answered after {delay} ms:" if delay else
                      "Every sendMessage answered at once (0 ms):")
        report.append("")
        report.append(table(results, names, delay, base_name))
    text = "\n".join(report)
    print()
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
        with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
            json.dump(results, f, indent=1)
    return 0 if all(r.get("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
