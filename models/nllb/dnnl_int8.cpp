#include "models/nllb/dnnl_int8.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ATen/Parallel.h>
#include <oneapi/dnnl/dnnl.hpp>

namespace parley::nllb {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using type = memory::data_type;

/// Row counts whose primitives stay cached per weight: decoding uses a few
/// batch sizes, the encoder one per batch shape.
constexpr size_t max_cached_row_counts = 64;

/// Output values per parallel task of the scaling after the product.
constexpr int64_t grain = 1 << 16;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  return engine;
}

/// Quantizes each row of `x` [m, in] symmetrically to [-127, 127]; returns
/// the int8 rows and one scale per row.
void quantize_rows(const float* x, int64_t m, int64_t in, int8_t* q,
                   float* scales) {
  // Adding and subtracting 1.5 * 2^23 rounds to the nearest even integer in
  // plain float arithmetic, which the compiler vectorizes (a call to
  // nearbyint per value cost milliseconds at 512 rows).
  constexpr float round_magic = 12582912.0f;
  auto grain_rows = std::max<int64_t>(1, (int64_t{1} << 16) / in);
  at::parallel_for(0, m, grain_rows, [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      const float* row = x + r * in;
      float largest = 0;
      for (int64_t j = 0; j < in; ++j) {
        float value = std::fabs(row[j]);
        largest = largest < value ? value : largest;
      }
      // An all-zero row quantizes to zeros with any scale.
      float scale = largest > 0 ? largest / 127.0f : 1.0f;
      float inverse = 1.0f / scale;
      int8_t* out = q + r * in;
      for (int64_t j = 0; j < in; ++j) {
        float rounded = (row[j] * inverse + round_magic) - round_magic;
        out[j] = static_cast<int8_t>(static_cast<int32_t>(rounded));
      }
      scales[r] = scale;
    }
  });
}

/// What one `apply` call writes before oneDNN reads it.
struct call_buffers {
  std::vector<int8_t> quantized;
  std::vector<float> row_scales;
  std::vector<char> scratch;
};

} // namespace

struct dnnl_int8_weight::impl {
  int64_t out = 0;
  int64_t in = 0;
  std::vector<float> scales;
  memory packed;
  mutable std::mutex mtx;
  mutable std::map<int64_t,
                   std::pair<dnnl::matmul::primitive_desc, dnnl::matmul>>
      primitives;

  /// s8 rows times s8 weights into float32: oneDNN multiplies the integer
  /// sums by the weight scales (per output channel). The row scales and the
  /// bias are applied after it: oneDNN 2.6 has no fast kernel for a post-op
  /// broadcast along rows (it fell back to its reference code, 1000 times
  /// slower).
  dnnl::matmul::primitive_desc describe(int64_t m,
                                        const memory::desc& weights) const {
    dnnl::primitive_attr attr;
    // A scratchpad per call, so that threads can share the primitive.
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    attr.set_output_scales(/*mask=*/1 << 1, scales);
    return {dnnl::matmul::desc({{m, in}, type::s8, tag::ab}, weights,
                               {{m, out}, type::f32, tag::ab}),
            attr, cpu_engine()};
  }

  std::pair<dnnl::matmul::primitive_desc, dnnl::matmul>
  primitive(int64_t m) const {
    std::lock_guard<std::mutex> guard{mtx};
    auto key = m;
    auto found = primitives.find(key);
    if (found != primitives.end())
      return found->second;
    if (primitives.size() >= max_cached_row_counts)
      primitives.clear();
    auto pd = describe(m, packed.get_desc());
    return primitives[key] = {pd, dnnl::matmul{pd}};
  }
};

dnnl_int8_weight::dnnl_int8_weight(const int8_t* weights, const float* scales,
                                   int64_t out, int64_t in)
    : impl_(std::make_unique<impl>()) {
  impl_->out = out;
  impl_->in = in;
  impl_->scales.assign(scales, scales + out);
  // W [out, in] row-major is the [in, out] matrix oneDNN multiplies by,
  // stored column by column ("ba"). oneDNN picks the layout (`any`); on CPUs
  // without AMX it carries the compensation for signed inputs, which the
  // reorder computes.
  memory::desc any{{in, out}, type::s8, tag::any};
  auto layout = impl_->describe(16, any).weights_desc();
  memory source{{{in, out}, type::s8, tag::ba},
                cpu_engine(),
                const_cast<int8_t*>(weights)};
  impl_->packed = memory{layout, cpu_engine()};
  dnnl::stream stream{cpu_engine()};
  dnnl::reorder(source, impl_->packed).execute(stream, source, impl_->packed);
  stream.wait();
}

dnnl_int8_weight::~dnnl_int8_weight() = default;

void dnnl_int8_weight::apply(const float* x, const float* bias, float* y,
                             int64_t m) const {
  auto [pd, matmul] = impl_->primitive(m);
  const auto& engine = cpu_engine();
  // Each calling thread keeps its buffers from call to call: allocated per
  // call, the scratchpad (megabytes for AMX) was zeroed and its pages
  // faulted in again on each of a decoding step's hundred products.
  thread_local call_buffers buffers;
  buffers.quantized.resize(m * impl_->in);
  buffers.row_scales.resize(m);
  buffers.scratch.resize(pd.scratchpad_desc().get_size());
  auto* row_scales = buffers.row_scales.data();
  quantize_rows(x, m, impl_->in, buffers.quantized.data(), row_scales);
  memory src{pd.src_desc(), engine, buffers.quantized.data()};
  memory dst{pd.dst_desc(), engine, y};
  memory scratchpad{pd.scratchpad_desc(), engine, buffers.scratch.data()};
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                       {DNNL_ARG_WEIGHTS, impl_->packed},
                                       {DNNL_ARG_DST, dst},
                                       {DNNL_ARG_SCRATCHPAD, scratchpad}};
  dnnl::stream stream{engine};
  matmul.execute(stream, args);
  stream.wait();
  auto out = impl_->out;
  at::parallel_for(0, m * out, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end;) {
      int64_t r = i / out;
      int64_t stop = std::min(end, (r + 1) * out);
      float scale = row_scales[r];
      float* row = y + r * out;
      if (bias != nullptr)
        for (int64_t j = i - r * out; j < stop - r * out; ++j)
          row[j] = row[j] * scale + bias[j];
      else
        for (int64_t j = i - r * out; j < stop - r * out; ++j)
          row[j] *= scale;
      i = stop;
    }
  });
}

int64_t dnnl_int8_weight::bytes() const {
  return static_cast<int64_t>(impl_->packed.get_desc().get_size());
}

std::string dnnl_int8_weight::kernel(int64_t m) const {
  return impl_->primitive(m).first.impl_info_str();
}

} // namespace parley::nllb
