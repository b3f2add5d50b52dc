// Birth data shared by the unit tests of the store and of the steps that read it.
#pragma once

#include "clients/store/records.hpp"

namespace nocturna::testing {

// 1990-03-15 14:30 in Moscow, from the gazetteer.
inline store::birth_record moscow() {
  store::birth_record b;
  b.date = "1990-03-15";
  b.time = "14:30";
  b.place_label = "Москва, Россия";
  b.latitude = 55.7522;
  b.longitude = 37.6156;
  b.zone = "Europe/Moscow";
  return b;
}

}  // namespace nocturna::testing
