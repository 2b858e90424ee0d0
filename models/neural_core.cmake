# The neural models' code that needs only libtorch and nlohmann-json's
# header: the safetensors reader, the checkpoint shapes, the shared
# transformer layers, NLLB/M2M100 and Whisper with their searches, golden
# checks and timing. parley_models builds on it, and so does the
# libtorch-only check of a GPU node (tools/gpu_check), which is why it is
# listed here once. Paths are relative to models/.
set(PARLEY_NEURAL_CORE_SOURCES
    checkpoint/checkpoint.cpp
    checkpoint/config_fields.cpp
    checkpoint/half.cpp
    checkpoint/model_shapes.cpp
    checkpoint/nllb_codes.cpp
    checkpoint/random_weights.cpp
    checkpoint/safetensors.cpp
    checkpoint/safetensors_writer.cpp
    checkpoint/tensor.cpp
    transformer/compute_type.cpp
    transformer/cpu_features.cpp
    transformer/device.cpp
    transformer/layers.cpp
    transformer/placement.cpp
    transformer/step_attention.cpp
    nllb/beam.cpp
    nllb/benchmark.cpp
    nllb/config.cpp
    nllb/generate.cpp
    nllb/golden.cpp
    nllb/int8_gemm.cpp
    nllb/linear.cpp
    nllb/model.cpp
    nllb/vocabulary_head.cpp
    nllb/weights.cpp
    whisper/beam.cpp
    whisper/benchmark.cpp
    whisper/config.cpp
    whisper/generate.cpp
    whisper/golden.cpp
    whisper/mel.cpp
    whisper/model.cpp
    whisper/tokenizer.cpp
    whisper/weights.cpp
    text/utf8.cpp
    torch_tensors.cpp
    golden_tensors.cpp
    golden_report.cpp)
# oneDNN's packed float32 and int8 weights: CPU kernels, built only where
# oneDNN's headers are (a Debian build; not a bare GPU node's libtorch, where
# the int8 types are refused and float32 runs through at::linear).
set(PARLEY_NEURAL_DNNL_SOURCES nllb/packed_float.cpp nllb/dnnl_int8.cpp)

# parley_neural_core(TARGET ROOT WITH_DNNL): the static library of those
# sources under ROOT (the models/ folder), linked to libtorch.
function(parley_neural_core target root with_dnnl)
  set(sources)
  foreach(source IN LISTS PARLEY_NEURAL_CORE_SOURCES)
    list(APPEND sources ${root}/${source})
  endforeach()
  if(with_dnnl)
    foreach(source IN LISTS PARLEY_NEURAL_DNNL_SOURCES)
      list(APPEND sources ${root}/${source})
    endforeach()
  endif()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PRIVATE ${root}/..)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_compile_definitions(${target}
                             PRIVATE PARLEY_WITH_DNNL=$<BOOL:${with_dnnl}>)
endfunction()
