// SIGINT and SIGTERM, the signals that stop `run`, `sandbox` and `calc serve`. They are taken
// synchronously: blocked before any thread starts (threads inherit the mask) and waited for, so
// no handler runs on an arbitrary thread.
#pragma once

#include <signal.h>

namespace nocturna {

sigset_t stop_signals();

// Blocks them in the calling thread and gives them their default disposition back: a shell
// starts background jobs with SIGINT ignored, and an ignored signal never reaches sigwait; while
// blocked, the default disposition only makes it pending.
void block_stop_signals();

// Waits until one of them is pending; returns its number.
int wait_for_stop_signal();

// Waits at most `ms`; returns the signal's number, or 0 when none came.
int wait_for_stop_signal(int ms);

}  // namespace nocturna
