// `nocturna-bot report natal|transit|day|forecast`: prints exactly the text the bot would send
// for a birth chart and a moment, so the built-in texts can be reviewed without Telegram
// (docs/interpretations.md).
//   report natal    --date YYYY-MM-DD --time HH:MM|unknown --place NAME         (/my_natal)
//   report transit  --date … --time … --place … [--at "YYYY-MM-DD HH:MM"]        (/my_transit)
//   report forecast --date … --time … --place … [--at "YYYY-MM-DD HH:MM"]        (the daily
//   forecast) report day      [--at "YYYY-MM-DD HH:MM"] (/transit)
// Options: --html prints the HTML as sent (default: plain text, as a reader sees it);
// --house-system NAME as `calc chart`. `--at` is local time of the birth place (transit,
// forecast) or of TIMEZONE (day); default now. The interpretation is the built-in one.
#pragma once

#include <string>
#include <vector>

#include "app/config.hpp"

namespace nocturna {

// `args` excludes the program name and "report". Exit 0 = printed, 1 = place not found or
// calculation failure, 2 = bad arguments.
int report_main(const std::vector<std::string>& args, const config& cfg);

// What report_main prints (without the final newline) and its exit code; errors go to stderr.
struct report_result {
  int exit_code = 0;
  std::string text;
};
report_result build_report(const std::vector<std::string>& args, const config& cfg);

}  // namespace nocturna
