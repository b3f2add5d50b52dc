// The city stream of a libgeonames child process (clients/geo/place_stream.hpp).
#include "clients/geo/place_stream.hpp"

#include <cstring>

namespace nocturna::geo {

namespace {

constexpr char city_tag = 'C';
constexpr char skipped_tag = 'S';
constexpr char end_tag = 'E';
// No name, region, country or zone of libgeonames comes near this: a longer length is a broken
// stream, not a city.
constexpr std::uint32_t max_text_bytes = 4096;

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_text(std::string& out, const std::string& s) {
  put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

// Reads from `in` at `at`, advancing it; false when `in` ends first or a text is too long.
struct cursor {
  std::string_view in;
  std::size_t at = 0;
  bool too_long = false;

  template <class T>
  bool get(T& value) {
    if (in.size() - at < sizeof(T)) return false;
    std::memcpy(&value, in.data() + at, sizeof(T));
    at += sizeof(T);
    return true;
  }
  bool get_text(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n)) return false;
    if (n > max_text_bytes) {
      too_long = true;
      return false;
    }
    if (in.size() - at < n) return false;
    s.assign(in.data() + at, n);
    at += n;
    return true;
  }
};

}  // namespace

void write_city(std::string& out, const place& city) {
  out += city_tag;
  for (const auto* s : {&city.name, &city.region, &city.country, &city.name_en, &city.region_en,
                        &city.country_en, &city.country_code, &city.zone})
    put_text(out, *s);
  put<double>(out, city.latitude);
  put<double>(out, city.longitude);
  put<std::uint32_t>(out, city.population);
}

void write_skipped(std::string& out, const std::string& name_en, const std::string& zone) {
  out += skipped_tag;
  put_text(out, name_en);
  put_text(out, zone);
}

void write_end(std::string& out, std::uint64_t cities) {
  out += end_tag;
  put<std::uint64_t>(out, cities);
}

place_stream_reader::place_stream_reader(city_fn on_city, skipped_fn on_skipped)
    : on_city_(std::move(on_city)), on_skipped_(std::move(on_skipped)) {}

bool place_stream_reader::feed(std::string_view bytes) {
  if (broken_) return false;
  if (ended_ && !bytes.empty()) {
    broken_ = true;
    return false;
  }
  pending_.append(bytes);
  std::size_t at = 0;
  for (;;) {
    const int r = take_one(at);
    if (r < 0) {
      broken_ = true;
      pending_.clear();
      return false;
    }
    if (r == 0) break;
  }
  pending_.erase(0, at);  // once per piece: the records read are dropped together
  return true;
}

int place_stream_reader::take_one(std::size_t& at) {
  if (at == pending_.size()) return 0;
  if (ended_) return -1;
  const std::string_view rest = std::string_view(pending_).substr(at);
  cursor c{rest, 1};
  const auto done = [&] {
    at += c.at;
    return 1;
  };
  const auto short_or_broken = [&] { return c.too_long ? -1 : 0; };
  switch (rest[0]) {
    case city_tag: {
      place p;
      for (auto* s : {&p.name, &p.region, &p.country, &p.name_en, &p.region_en, &p.country_en,
                      &p.country_code, &p.zone})
        if (!c.get_text(*s)) return short_or_broken();
      if (!c.get(p.latitude) || !c.get(p.longitude) || !c.get(p.population)) return 0;
      ++cities_;
      on_city_(p);
      return done();
    }
    case skipped_tag: {
      std::string name_en, zone;
      if (!c.get_text(name_en) || !c.get_text(zone)) return short_or_broken();
      if (on_skipped_) on_skipped_(name_en, zone);
      return done();
    }
    case end_tag: {
      std::uint64_t count = 0;
      if (!c.get(count)) return 0;
      if (count != cities_) return -1;
      ended_ = true;
      return done();
    }
    default:
      return -1;
  }
}

}  // namespace nocturna::geo
