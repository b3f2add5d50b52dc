# python-telegram-bot 13.15 peer of the bench-peers benchmark (docs/benchmarks.md): answers /start
# with a short text. run_async hands each update to the dispatcher's worker threads (without it
# PTB 13 answers one update at a time); Updater sizes its connection pool to workers + 4.
import os

import certifi
from telegram.ext import CommandHandler, Updater

# The benchmark's TLS front (run_peers.py --tls) has a throw-away certificate: PTB 13 trusts
# certifi.where()'s bundle, read when the Updater makes its connection pool.
if os.environ.get("BENCH_CA_FILE"):
    certifi.where = lambda: os.environ["BENCH_CA_FILE"]

WORKERS = int(os.environ.get("BENCH_PTB_WORKERS", "128"))


def start(update, context):
    update.message.reply_text("Hello! I am a benchmark bot.")


def main():
    updater = Updater(token=os.environ["BENCH_TOKEN"],
                      base_url=os.environ["BENCH_API_URL"] + "/bot",
                      workers=WORKERS, use_context=True)
    updater.dispatcher.add_handler(CommandHandler("start", start, run_async=True))
    updater.start_polling(timeout=10)
    updater.idle()


if __name__ == "__main__":
    main()
