// The `device` option of the neural kinds: parsing, how a request resolves
// against the CUDA devices libtorch sees, and the compute types on CUDA.

#include <catch2/catch.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "models/model_kind.hpp"
#include "models/registry.hpp"
#include "models/transformer/device.hpp"
#include "models/transformer/placement.hpp"
#include "models/transformer/resolve_placement.hpp"

using namespace parley::transformer;
using kind = device_request::kind;

namespace {

/// Routes the default logger into a buffer for the life of the object.
class captured_log {
public:
  captured_log()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)),
        previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink_));
  }
  ~captured_log() {
    spdlog::set_default_logger(previous_);
  }

  std::string text() const {
    std::string all;
    for (const auto& line : sink_->last_formatted())
      all += line;
    return all;
  }

private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

} // namespace

TEST_CASE("device values parse and malformed ones are refused",
          "[models][device]") {
  CHECK(parse_device("cpu")->what == kind::cpu);
  CHECK(parse_device("auto")->what == kind::automatic);
  auto cuda = parse_device("cuda");
  REQUIRE(cuda);
  CHECK(cuda->what == kind::cuda);
  CHECK(cuda->index == 0);
  auto second = parse_device("cuda:1");
  REQUIRE(second);
  CHECK(second->index == 1);
  CHECK(second->to_string() == "cuda:1");
  for (const char* bad : {"gpu", "CUDA", "cuda:", "cuda:-1", "cuda:x",
                          "cuda:1 ", " cpu", "cuda:12345", ""})
    CHECK_FALSE(parse_device(bad));
}

TEST_CASE("a device request resolves against the CUDA devices libtorch sees, "
          "never falling back",
          "[models][device]") {
  auto automatic = *parse_device("auto");
  auto none = choose_device(automatic, 0);
  CHECK(none.device.is_cpu());
  CHECK_THAT(none.reason, Catch::Contains("no CUDA"));
  auto two = choose_device(automatic, 2);
  CHECK(two.device == c10::Device(c10::kCUDA, 0));
  CHECK(choose_device(*parse_device("cuda:1"), 2).device
        == c10::Device(c10::kCUDA, 1));
  CHECK(choose_device(*parse_device("cpu"), 2).device.is_cpu());
  CHECK_THROWS_WITH(choose_device(*parse_device("cuda"), 0),
                    Catch::Contains("cuda:0") && Catch::Contains("CUDA"));
  CHECK_THROWS_WITH(choose_device(*parse_device("cuda:2"), 2),
                    Catch::Contains("only 2"));
}

TEST_CASE("CUDA runs float16, bfloat16 and float32; int8 stays on the CPU",
          "[models][device]") {
  CHECK(choose_cuda_compute_type("auto").type == compute_type::float16);
  for (auto type : cuda_compute_types())
    CHECK(choose_cuda_compute_type(to_string(type)).type == type);
  CHECK_THROWS_WITH(choose_cuda_compute_type("int8"),
                    Catch::Contains("CPU kernels"));
  CHECK_THROWS_WITH(choose_cuda_compute_type("int8_bfloat16"),
                    Catch::Contains("CPU kernels"));
  CHECK_THROWS_WITH(choose_cuda_compute_type("fp16"), Catch::Contains("fp16"));
  // float16 is a name the CPU knows and replaces.
  cpu_features amx;
  amx.avx2 = amx.avx512f = amx.avx512_bf16 = amx.amx_bf16 = amx.amx_int8 = true;
  auto on_cpu = choose_compute_type("float16", amx);
  CHECK(on_cpu.type == compute_type::float32);
  CHECK(on_cpu.fell_back);
  CHECK_THAT(on_cpu.reason, Catch::Contains("CUDA"));
}

TEST_CASE("auto takes the CPU where libtorch sees no CUDA and says so; cuda "
          "is refused naming the model",
          "[models][device]") {
  if (cuda_device_count() > 0) {
    // A CUDA libtorch on a GPU machine: auto and cuda take device 0.
    CHECK(resolve_placement("nllb x", "auto", "auto", "none").device
          == c10::Device(c10::kCUDA, 0));
    CHECK(resolve_placement("nllb x", "cuda", "float32", "none").type
          == compute_type::float32);
    return;
  }
  captured_log log;
  auto where = resolve_placement("nllb x", "auto", "float32", "none");
  CHECK(where.on_cpu());
  CHECK(where.activations() == at::kFloat);
  CHECK_THAT(log.text(), Catch::Contains("nllb x") && Catch::Contains("cpu")
                             && Catch::Contains("no CUDA"));
  CHECK_THROWS_WITH(resolve_placement("nllb x", "cuda", "auto", "none"),
                    Catch::Contains("nllb x") && Catch::Contains("CUDA"));
  CHECK_THROWS_WITH(resolve_placement("nllb x", "tpu", "auto", "none"),
                    Catch::Contains("tpu"));
  // The configuration check refuses it before anything loads.
  const auto& registry = parley::backend_registry::builtin();
  const auto* nllb = registry.find_kind("nllb");
  REQUIRE(nllb != nullptr);
  parley::backend_options options{{{"path", "/nowhere"}, {"device", "cuda:1"}}};
  CHECK_THROWS_WITH(parley::check_model_options(*nllb, "big", options, 1),
                    Catch::Contains("models.big.device")
                        && Catch::Contains("CUDA"));
  // On the CPU a replica announces the pool's batch.
  CHECK(nllb->announced_batch(options) == 0);
}

TEST_CASE("a placement on the CPU keeps float32 activations whatever the "
          "compute type",
          "[models][device]") {
  for (auto type : all_compute_types()) {
    placement where{type, c10::Device{c10::kCPU}};
    CHECK(where.activations() == at::kFloat);
    auto t = at::ones({2});
    CHECK(where.place(t).is_same(t));
  }
  placement half{compute_type::float16, c10::Device{c10::kCUDA, 0}};
  CHECK(half.activations() == at::kHalf);
  placement second{compute_type::bfloat16, c10::Device{c10::kCUDA, 1}};
  CHECK(second.describe() == "bfloat16 on cuda:1");
}
