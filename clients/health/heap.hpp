#pragma once

// The process heap, whichever allocator serves it: the bot binary links jemalloc (app/main.cpp
// sets its options), the test binaries keep glibc's malloc, and in `make sanitize`'s build
// AddressSanitizer's allocator serves it.

namespace nocturna::health {

struct heap_figures {
  double in_use_bytes = 0;  // handed out by malloc and not freed
  double kept_bytes = 0;    // held by the allocator beyond that, resident or reusable
};

// Gives the allocator's free pages back to the system and reads the heap's figures afterwards.
// Blocking for up to tens of milliseconds on a large heap: call it off the actors' workers.
heap_figures release_free_heap();

// Which allocator serves the heap: "jemalloc", "glibc", or "sanitizer" (AddressSanitizer's own,
// whose figures read 0).
const char* heap_allocator();

}  // namespace nocturna::health
