#include "models/nllb/packed_float.hpp"

#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

namespace parley::nllb {

namespace {

using dnnl::memory;
using tag = memory::format_tag;

/// Rows counts whose primitives stay cached per weight: decoding uses a few
/// batch sizes, the encoder one per batch shape.
constexpr size_t max_cached_row_counts = 64;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  return engine;
}

memory::desc plain(int64_t rows, int64_t cols) {
  return {{rows, cols}, memory::data_type::f32, tag::ab};
}

} // namespace

struct packed_float_weight::impl {
  int64_t out = 0;
  int64_t in = 0;
  memory packed;
  /// The primitive for each row count, made on first use.
  mutable std::mutex mtx;
  mutable std::map<std::pair<int64_t, bool>,
                   std::pair<dnnl::matmul::primitive_desc, dnnl::matmul>>
      primitives;

  dnnl::matmul::primitive_desc describe(int64_t m, bool bias,
                                        const memory::desc& weights) const {
    dnnl::primitive_attr attr;
    // A scratchpad per call, so that threads can share the primitive.
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    auto bias_desc = bias ? plain(1, out) : memory::desc();
    return {dnnl::matmul::desc(plain(m, in), weights, bias_desc, plain(m, out)),
            attr, cpu_engine()};
  }

  std::pair<dnnl::matmul::primitive_desc, dnnl::matmul>
  primitive(int64_t m, bool bias) const {
    std::lock_guard<std::mutex> guard{mtx};
    auto key = std::make_pair(m, bias);
    auto found = primitives.find(key);
    if (found != primitives.end())
      return found->second;
    if (primitives.size() >= max_cached_row_counts)
      primitives.clear();
    auto pd = describe(m, bias, packed.get_desc());
    return primitives[key] = {pd, dnnl::matmul{pd}};
  }
};

packed_float_weight::packed_float_weight(const float* w, int64_t out,
                                         int64_t in)
    : impl_(std::make_unique<impl>()) {
  impl_->out = out;
  impl_->in = in;
  // W [out, in] row-major is the [in, out] matrix oneDNN multiplies by,
  // stored column by column ("ba"). The layout the kernels want does not
  // depend on the row count (checked from 1 to 3000 rows).
  memory::desc any{{in, out}, memory::data_type::f32, tag::any};
  auto layout = impl_->describe(16, false, any).weights_desc();
  memory source{{{in, out}, memory::data_type::f32, tag::ba},
                cpu_engine(),
                const_cast<float*>(w)};
  impl_->packed = memory{layout, cpu_engine()};
  dnnl::stream stream{cpu_engine()};
  dnnl::reorder(source, impl_->packed).execute(stream, source, impl_->packed);
  stream.wait();
}

packed_float_weight::~packed_float_weight() = default;

void packed_float_weight::apply(const float* x, const float* bias, float* y,
                                int64_t m) const {
  auto [pd, matmul] = impl_->primitive(m, bias != nullptr);
  const auto& engine = cpu_engine();
  memory src{pd.src_desc(), engine, const_cast<float*>(x)};
  memory dst{pd.dst_desc(), engine, y};
  // Kept per calling thread from call to call, as dnnl_int8.cpp's are: no
  // zeroing and no page faults per product.
  thread_local std::vector<char> scratch;
  scratch.resize(pd.scratchpad_desc().get_size());
  memory scratchpad{pd.scratchpad_desc(), engine, scratch.data()};
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                       {DNNL_ARG_WEIGHTS, impl_->packed},
                                       {DNNL_ARG_DST, dst},
                                       {DNNL_ARG_SCRATCHPAD, scratchpad}};
  if (bias != nullptr)
    args.emplace(DNNL_ARG_BIAS,
                 memory{pd.bias_desc(), engine, const_cast<float*>(bias)});
  dnnl::stream stream{engine};
  matmul.execute(stream, args);
  stream.wait();
}

int64_t packed_float_weight::bytes() const {
  return static_cast<int64_t>(impl_->packed.get_desc().get_size());
}

} // namespace parley::nllb
