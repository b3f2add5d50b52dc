// The gazetteer built off the start-up path (docs/benchmarks.md): reading libgeonames' 24,000
// cities takes ~0.5–1 s of CPU, longer than the whole rest of the start-up, and only a /natal
// place lookup needs it. The bot starts polling at once while one background thread (at a lower
// CPU priority) builds the index; readers ask without blocking whether it is ready.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "clients/geo/gazetteer.hpp"

namespace nocturna::geo {

class gazetteer_loader {
 public:
  // Builds the index with `build` on a thread of its own. When `build` throws, `failed` gets the
  // error on that thread and the loader stays without an index.
  using builder_fn = std::function<std::shared_ptr<const gazetteer>()>;
  gazetteer_loader(builder_fn build, std::function<void(const std::string& error)> failed);
  // An index already built (tests, tools).
  explicit gazetteer_loader(std::shared_ptr<const gazetteer> ready);
  ~gazetteer_loader();  // waits for the thread
  gazetteer_loader(const gazetteer_loader&) = delete;
  gazetteer_loader& operator=(const gazetteer_loader&) = delete;

  // The index, or nullptr while it is being built (or when building failed). Never blocks.
  std::shared_ptr<const gazetteer> get() const;
  // Waits at most `ms` for the index (tests and tools only: never on an actor's thread).
  std::shared_ptr<const gazetteer> wait(int ms) const;
  // Building ended, ready or failed.
  bool settled() const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::shared_ptr<const gazetteer> index_;
  bool settled_ = false;
  std::thread thread_;
};

// The libgeonames index with `aliases` (read beforehand, so that a bad alias file still stops the
// start-up) built in the background at nice +10, logged when ready; `failed` as above. With a
// `child_program` (the bot's own binary) libgeonames is read by that program in a child process
// (clients/geo/geonames_child.hpp); should that fail, this process reads it after all.
std::shared_ptr<gazetteer_loader> load_gazetteer_in_background(
    alias_table aliases, std::function<void(const std::string& error)> failed,
    std::string child_program = {});

}  // namespace nocturna::geo
