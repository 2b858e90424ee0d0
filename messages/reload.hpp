#pragma once

// What a configuration reload (SIGHUP) tells the running actors besides the
// model table, which goes through the admin actor as `POST` and
// `DELETE /models` do. Kept apart from messages/fwd.hpp: only the router,
// the caches and the runtime need these, and every file includes fwd.hpp.
// They are local messages: a reload never crosses nodes.

#include <cstdint>
#include <map>
#include <string>

#include <caf/atom.hpp>

#include "messages/fwd.hpp"

namespace parley {

using capacity_atom = caf::atom_constant<caf::atom("capacity")>;
using routes_atom = caf::atom_constant<caf::atom("routes")>;

/// Model types and aliases to model names (`[routes]`).
using route_table = std::map<std::string, std::string>;

/// The router, whose routes a reload replaces (actors/router).
using reloadable_router_actor = router_actor::extend<
    caf::replies_to<routes_atom, route_table>::with<done_atom>>;

/// The translation cache, whose capacity a reload changes; shrinking it
/// evicts the least recently used entries (actors/cache).
using resizable_cache_actor = cache_actor::extend<
    caf::replies_to<capacity_atom, uint64_t>::with<done_atom>>;

/// The audio cache, the same (actors/audio_cache).
using resizable_audio_cache_actor = audio_cache_actor::extend<
    caf::replies_to<capacity_atom, uint64_t>::with<done_atom>>;

} // namespace parley
