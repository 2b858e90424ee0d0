#include "tests/support/probe_backend.hpp"

#include <map>
#include <stdexcept>
#include <thread>

#include "models/backend.hpp"
#include "tests/support/probe_speech.hpp"
#include "tests/support/toy_kind.hpp"

namespace parley::test {

namespace {

std::mutex probes_mtx;
std::map<std::string, std::shared_ptr<probe_control>> probes;

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

class probe_backend final : public translation_backend {
public:
  explicit probe_backend(std::shared_ptr<probe_control> control)
      : control_(std::move(control)) {
  }

  std::vector<job_output> translate(const translation_batch& batch) override {
    auto now_active = ++control_->active;
    auto seen = control_->max_active.load();
    while (now_active > seen
           && !control_->max_active.compare_exchange_weak(seen, now_active)) {
    }
    struct leave {
      probe_control& control;
      ~leave() {
        --control.active;
      }
    } guard{*control_};
    ++control_->batches;
    control_->pass_gate();
    if (control_->delay.count() > 0)
      std::this_thread::sleep_for(control_->delay);
    std::vector<job_output> outputs;
    for (const auto& job : batch.jobs) {
      control_->record(job.source_lang + ">" + job.target_lang + ":"
                       + job.text);
      if (starts_with(job.text, "fail"))
        throw std::runtime_error("probe failure requested");
      if (starts_with(job.text, "die") && control_->die_budget-- > 0)
        throw backend_fatal("probe death requested");
      outputs.push_back({job.target_lang + ":" + job.text,
                         {job.source_lang, job.target_lang},
                         {}});
    }
    return outputs;
  }

  language_routes routes() const override {
    return {};
  }

private:
  std::shared_ptr<probe_control> control_;
};

std::unique_ptr<translation_backend>
make_probe_backend(const backend_options& options) {
  std::shared_ptr<probe_control> control;
  {
    std::lock_guard<std::mutex> guard{probes_mtx};
    control = probes.at(options.get_string("probe", ""));
  }
  ++control->loads;
  if (control->fail_load)
    throw std::runtime_error("probe load failure requested");
  return std::make_unique<probe_backend>(control);
}

} // namespace

void probe_control::close_gate() {
  std::lock_guard<std::mutex> guard{mtx_};
  gate_open_ = false;
}

void probe_control::open_gate() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    gate_open_ = true;
  }
  opened_.notify_all();
}

bool probe_control::await_at_gate(int count) {
  std::unique_lock<std::mutex> guard{mtx_};
  return arrived_.wait_for(guard, std::chrono::seconds(30),
                           [&] { return waiting_at_gate >= count; });
}

void probe_control::pass_gate() {
  std::unique_lock<std::mutex> guard{mtx_};
  ++waiting_at_gate;
  arrived_.notify_all();
  opened_.wait(guard, [this] { return gate_open_; });
  --waiting_at_gate;
}

void probe_control::record(const std::string& job) {
  std::lock_guard<std::mutex> guard{mtx_};
  jobs_.push_back(job);
}

std::vector<std::string> probe_control::jobs() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return jobs_;
}

std::pair<std::string, std::shared_ptr<probe_control>> make_probe() {
  static std::atomic<int> counter{0};
  auto name = "probe-" + std::to_string(++counter);
  auto control = std::make_shared<probe_control>();
  std::lock_guard<std::mutex> guard{probes_mtx};
  probes.emplace(name, control);
  return {name, control};
}

void open_all_gates() {
  {
    std::lock_guard<std::mutex> guard{probes_mtx};
    for (auto& [name, control] : probes)
      control->open_gate();
  }
  open_all_speech_gates();
}

model_kind probe_kind(const std::string& name, kind_factory factory) {
  model_kind kind;
  kind.name = name;
  kind.factory = factory;
  kind.summary = "a probe of the tests";
  kind.options = {{"probe", option_type::text, "", "the probe's name"}};
  return kind;
}

backend_registry registry_with_probe() {
  auto registry = backend_registry::builtin();
  auto probe = probe_kind("probe", &make_probe_backend);
  registry.add(probe);
  registry.add(toy_kind());
  add_speech_probes(registry);
  return registry;
}

} // namespace parley::test
