// telebot v3 peer of the bench-peers benchmark (docs/benchmarks.md): answers /start with a short
// text, a goroutine per update (telebot's default, not Synchronous). Built in GOPATH mode against
// Debian's golang-gopkg-telebot.v3-dev (Makefile, bench-peers).
package main

import (
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	tele "gopkg.in/telebot.v3"
)

func main() {
	// The default Transport keeps 2 idle connections per host: every other concurrent answer
	// would open a new one. 256 matches the most the bot under test may use (TELEGRAM_CONNECTIONS).
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 256
	transport.MaxIdleConnsPerHost = 256
	bot, err := tele.NewBot(tele.Settings{
		URL:    os.Getenv("BENCH_API_URL"),
		Token:  os.Getenv("BENCH_TOKEN"),
		Poller: &tele.LongPoller{Timeout: 10 * time.Second},
		Client: &http.Client{Timeout: time.Minute, Transport: transport},
	})
	if err != nil {
		log.Fatal(err)
	}
	bot.Handle("/start", func(c tele.Context) error {
		return c.Send("Hello! I am a benchmark bot.")
	})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		bot.Stop()
	}()
	bot.Start()
}
