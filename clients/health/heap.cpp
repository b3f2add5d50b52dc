#include "clients/health/heap.hpp"

#include <malloc.h>

#include <cstddef>
#include <cstdint>

// jemalloc's control interface. Weak: a binary without jemalloc (the tests, `make sanitize`) sees
// a null address here.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace nocturna::health {
namespace {

enum class allocator { jemalloc, glibc, sanitizer };

allocator serving() {
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer serves malloc itself and glibc's arenas are never set up: malloc_trim on them
  // read a null pointer and stopped a sanitized bot (`make sanitize`).
  return allocator::sanitizer;
#else
  return mallctl != nullptr ? allocator::jemalloc : allocator::glibc;
#endif
}

// jemalloc's MALLCTL_ARENAS_ALL (4096): the arena index that means every arena.
constexpr const char* purge_all_arenas = "arena.4096.purge";

double jemalloc_stat(const char* name) {
  std::size_t value = 0;
  std::size_t length = sizeof value;
  return mallctl(name, &value, &length, nullptr, 0) == 0 ? static_cast<double>(value) : 0;
}

heap_figures release_with_jemalloc() {
  mallctl(purge_all_arenas, nullptr, nullptr, nullptr, 0);
  // Statistics are a snapshot refreshed by writing the epoch.
  std::uint64_t epoch = 1;
  std::size_t length = sizeof epoch;
  mallctl("epoch", &epoch, &length, &epoch, length);
  const double allocated = jemalloc_stat("stats.allocated");
  const double resident = jemalloc_stat("stats.resident");
  return {allocated, resident > allocated ? resident - allocated : 0};
}

heap_figures release_with_glibc() {
  ::malloc_trim(0);
  const auto heap = ::mallinfo2();
  return {static_cast<double>(heap.uordblks + heap.hblkhd), static_cast<double>(heap.fordblks)};
}

}  // namespace

heap_figures release_free_heap() {
  switch (serving()) {
    case allocator::jemalloc:
      return release_with_jemalloc();
    case allocator::glibc:
      return release_with_glibc();
    case allocator::sanitizer:
      return {};  // nothing to trim, figures read 0
  }
  return {};
}

const char* heap_allocator() {
  switch (serving()) {
    case allocator::jemalloc:
      return "jemalloc";
    case allocator::glibc:
      return "glibc";
    case allocator::sanitizer:
      return "sanitizer";
  }
  return "glibc";
}

}  // namespace nocturna::health
