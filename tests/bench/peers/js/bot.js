// grammY peer of the bench-peers benchmark (docs/benchmarks.md): answers /start with a short text;
// @grammyjs/runner fetches and handles updates concurrently (its default sink, up to 500 at once).
const { Bot } = require("grammy");
const { run } = require("@grammyjs/runner");

const bot = new Bot(process.env.BENCH_TOKEN, { client: { apiRoot: process.env.BENCH_API_URL } });
bot.command("start", (ctx) => ctx.reply("Hello! I am a benchmark bot."));
const runner = run(bot);
const stop = () => runner.isRunning() && runner.stop();
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
