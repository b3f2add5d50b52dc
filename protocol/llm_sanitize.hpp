// Model output is untrusted text (docs/integrations.md §1.6): it becomes Telegram HTML that the bot
// inserts exactly as returned, so everything here must end in text that html::validate accepts,
// whatever the model sent (tags, entities, broken Markdown, invalid UTF-8, 20,000 characters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nocturna::llm {

// The steps of §1.6 in order: line endings → `\n`; a leading/trailing code fence removed;
// heading (`#…`) and rule (`---`, `* * *`) lines removed; `- `/`* ` bullets → `• `; blank runs
// collapsed to one blank line; trimmed; HTML-escaped; `**x**`/`__x__` → <b>, `*x*`/`_x_` on one
// line → <i> (never across a paragraph, always nested properly); stray `*` removed; when the
// visible text exceeds `cap` UTF-16 units (0 = no cap), cut at the last paragraph boundary (else
// sentence, line, word) to cap − 1 units and `…` appended. Invalid UTF-8 bytes become U+FFFD and
// control characters other than line breaks are dropped. Returns "" when nothing visible remains.
std::string sanitize_llm_text(std::string_view raw, std::size_t cap);

// For an answer stopped by max_tokens (finish_reason "length", §1.4): the raw text without its
// unfinished tail — the last paragraph goes unless it ends a sentence; a single paragraph is cut
// after its last complete sentence (kept whole when it has none).
std::string drop_unfinished_tail(std::string_view raw);

}  // namespace nocturna::llm
