// The drawing steps shared by the wheel, the sky and the biwheel, each onto a canvas.
#pragma once

#include <string>
#include <vector>

#include "clients/render/canvas.hpp"
#include "clients/render/wheel_layout.hpp"
#include "protocol/chart.hpp"

namespace nocturna::render {

// Background, ring fills, the zodiac ring (30° divisions, degree ticks, sign glyphs).
void paint_zodiac(canvas& cv, const wheel_frame& f, const wheel_layout& l);

// House ring fill, cusp lines, house numbers and the ASC/MC axes with their labels. Paints
// nothing when the chart has no houses (unknown birth time).
void paint_houses(canvas& cv, const wheel_frame& f, const wheel_layout& l, const astro::chart& c);

// Aspect lines between true longitudes on the aspect circle. `p1` positions are looked up in
// `first`, `p2` in `second` (the same chart for natal/sky aspects; natal and transit for
// transit-to-natal ones). Aspects to angles (ASC/MC) are not drawn. `max_orb` is the orb at
// which a line is drawn thinnest; tighter aspects get thicker lines.
void paint_aspects(canvas& cv, const wheel_frame& f, double radius,
                   const std::vector<astro::aspect>& aspects, const astro::chart& first,
                   const astro::chart& second, double max_orb);

// Ticks at the true longitudes, connectors to spread glyphs, glyphs, degree labels and ℞ marks.
// `dot_radius` > 0 also puts a dot on the aspect circle at each true longitude.
void paint_planets(canvas& cv, const wheel_frame& f, const planet_ring& ring,
                   const std::vector<planet_placement>& planets, unsigned colour,
                   double dot_radius);

// The aspect colour key in the bottom-left corner.
void paint_aspect_key(canvas& cv, double size);
// Lines of `text` (separated by '\n') in the top-left corner.
void paint_legend(canvas& cv, double size, const std::string& text);
// "натал"/"транзит" colour key in the bottom-right corner of the biwheel.
void paint_biwheel_key(canvas& cv, double size, const char* outer_label = "транзиты",
                       const char* inner_label = "натал");

}  // namespace nocturna::render
