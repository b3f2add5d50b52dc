#include "app/stop_signals.hpp"

#include <pthread.h>

namespace nocturna {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

int wait_for_stop_signal() {
  sigset_t set = stop_signals();
  int sig = 0;
  while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM)) {
  }
  return sig;
}

int wait_for_stop_signal(int ms) {
  sigset_t set = stop_signals();
  timespec limit{ms / 1000, (ms % 1000) * 1000L * 1000L};
  const int sig = sigtimedwait(&set, nullptr, &limit);
  return sig == SIGINT || sig == SIGTERM ? sig : 0;
}

}  // namespace nocturna
