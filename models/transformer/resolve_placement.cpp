#include "models/transformer/resolve_placement.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace parley::transformer {

namespace {

/// The legacy `quantize` option folded into the compute type's name.
std::string folded_type(const std::string& who, const std::string& requested,
                        const std::string& quantize) {
  if (quantize != "none" && quantize != "int8")
    throw std::invalid_argument(who + ": quantize must be none or int8, not '"
                                + quantize + "'");
  if (quantize != "int8")
    return requested;
  if (requested != "auto" && requested != "int8")
    throw std::invalid_argument(
        who + ": quantize int8 contradicts compute_type " + requested);
  return "int8";
}

device_choice resolve_device(const std::string& who,
                             const std::string& device) {
  auto request = parse_device(device);
  if (!request)
    throw std::invalid_argument(who + ": device must be " + device_values
                                + ", not '" + device + "'");
  try {
    return choose_device(*request, cuda_device_count());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(who + ": " + e.what());
  }
}

} // namespace

compute_type resolve_compute_type(const std::string& who,
                                  const std::string& requested,
                                  const std::string& quantize) {
  auto name = folded_type(who, requested, quantize);
  const auto& cpu = host_cpu_features();
  compute_choice choice;
  try {
    choice = choose_compute_type(name, cpu);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(who + ": " + e.what());
  }
  if (choice.fell_back)
    spdlog::warn("{}: {}", who, choice.reason);
  else
    spdlog::info("{}: compute_type {} ({}; CPU {}: {})", who,
                 to_string(choice.type), choice.reason, cpu.model,
                 cpu.describe());
  return choice.type;
}

placement resolve_placement(const std::string& who, const std::string& device,
                            const std::string& requested,
                            const std::string& quantize) {
  auto where = resolve_device(who, device);
  if (where.device.is_cpu()) {
    if (device != "cpu")
      spdlog::info("{}: device cpu ({})", who, where.reason);
    return {resolve_compute_type(who, requested, quantize), where.device};
  }
  compute_choice choice;
  try {
    choice = choose_cuda_compute_type(folded_type(who, requested, quantize));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(who + ": " + e.what());
  }
  placement result{choice.type, where.device};
  spdlog::info("{}: {} ({}; {})", who, result.describe(), where.reason,
               choice.reason);
  return result;
}

void require_device(const std::string& who, const std::string& device) {
  resolve_device(who, device);
}

bool runs_on_cuda(const std::string& device) {
  try {
    return resolve_device("device", device).device.is_cuda();
  } catch (const std::invalid_argument&) {
    return false;
  }
}

} // namespace parley::transformer
