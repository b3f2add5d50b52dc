// What the bot keeps of an accepted Bot API call's result after handing it to the caller: the
// call ledger (actors/call_ledger.hpp) and the store's sent-log hold one per call made for an inbox
// row, and a re-run reads back only the message id (actors/session_io.cpp) and a sent photo's
// file_id (actors/session_heavy.cpp). Telegram's whole Message echoes the text and the sender
// (about 1 KB per reply), so keeping it would make a burst's ledger cost tens of MB.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::bot {

// `result_json` cut to what a re-run reads: {"message_id":N} and, for a photo, the largest size's
// file_id as {"message_id":N,"photo":[{"file_id":"…"}]}. A result without a message_id (`true`,
// a User, an unparseable body) is kept as it is when short, and as `true` when long: no reader
// looks into it.
std::string sent_result_digest(std::string_view result_json);

}  // namespace nocturna::bot
