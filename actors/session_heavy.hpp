// The status-message pattern of the heavy commands (docs/behaviour.md §1.5), shared by
// session_heavy.cpp and session_compat.cpp: a status message, the chat action while working, the
// picture, the text in parts, the status deleted, or the status turned into the error reply.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "actors/message_types.hpp"
#include "actors/session_state.hpp"
#include "clients/astro/calc_error.hpp"

namespace nocturna::actors {

// What a heavy command delivers once its data are ready.
struct heavy_output {
  const char* context = "";            // C_… of the command, for a failure before the text
  std::optional<std::string> file_id;  // a picture Telegram already has
  std::optional<msg::picture_query> picture;
  std::string caption;
  std::string text;  // HTML
  // Stores the file_id of a newly uploaded picture (best effort).
  std::function<void(const std::string& file_id)> remember_picture;
  // Another chat than the turn's (the inviter of /compat): no status message, no chat action.
  std::int64_t chat_id = 0;
  // Runs instead of ending the turn once everything is delivered.
  std::function<void()> after;
};
using output_ptr = std::shared_ptr<heavy_output>;

// Result text = report + blank line + interpretation block (docs/behaviour.md §3), the report alone
// when there is no block.
std::string with_block(const std::string& report, const std::string& block);
// Steps 2–3: the status message S, then the chat action; then `k`.
void begin(session_ptr self, const turn_ptr& t, const char* status, std::function<void()> k);
// Step 4: the picture (cached, drawn, or none), then the text; the turn ends (or `out->after`).
void deliver(session_ptr self, const turn_ptr& t, output_ptr out);
// Step 6: S becomes the error reply; the turn ends.
void fail(session_ptr self, const turn_ptr& t, const char* context, const char* reason,
          const std::string& detail);
void fail_calc(session_ptr self, const turn_ptr& t, const char* context, const astro::calc_error& e,
               bool personal);

}  // namespace nocturna::actors
