#include "tools/kind_reference.hpp"

#include <sstream>

namespace parley {

namespace {

std::string type_of(const option_declaration& option) {
  if (option.type != option_type::choice)
    return to_string(option.type);
  std::string choices;
  for (const auto& choice : option.choices)
    choices += (choices.empty() ? "" : ", ") + ("`" + choice + "`");
  return "one of " + choices;
}

void write_table(std::ostream& out,
                 const std::vector<option_declaration>& options) {
  out << "| key | type | default | meaning |\n"
      << "|---|---|---|---|\n";
  for (const auto& option : options)
    out << "| `" << option.key << "` | " << type_of(option) << " | "
        << (option.fallback.empty() ? "" : "`" + option.fallback + "`") << " | "
        << option.help << " |\n";
}

} // namespace

std::string kind_reference(const backend_registry& kinds) {
  std::ostringstream out;
  out << "Every model also takes:\n\n";
  write_table(out, common_model_options());
  for (const auto* kind : kinds.declarations()) {
    out << "\n#### `" << kind->name << "` (" << to_string(kind->task())
        << ")\n\n"
        << kind->summary << '.';
    if (kind->max_replicas > 0)
      out << " At most " << kind->max_replicas << " replica"
          << (kind->max_replicas == 1 ? "" : "s") << '.';
    out << "\n\n";
    if (kind->options.empty())
      out << "No options of its own.\n";
    else
      write_table(out, kind->options);
  }
  return out.str();
}

} // namespace parley
