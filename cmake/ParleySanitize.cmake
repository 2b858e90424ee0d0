# PARLEY_SANITIZE=ON: Parley's own code built with AddressSanitizer and
# UndefinedBehaviorSanitizer, and parley_san_tests, the tests of io/, actors/
# and messages/ in one executable that does not need the NLLB tokenizer
# (libsentencepiece is loaded with RTLD_DEEPBIND, which ASan refuses).
#
#   cmake -S . -B build-san -G Ninja -DPARLEY_SANITIZE=ON
#   cmake --build build-san --target parley_san_tests parleyd
#   ctest --test-dir build-san -L sanitize
#
# tools/sanitize does all three. Included by the top-level CMakeLists.txt
# after every target exists.

# UBSan reports and goes on (gcc's default): CAF 0.17's own headers trip it on
# every actor spawned without arguments (init_fun_factory.hpp binds a
# reference to a null shared_ptr<std::tuple<>> that it never reads), and
# gcc's UBSan can neither suppress a report nor write it to a log file. So
# tools/sanitize fails on any "runtime error:" in the test output other than
# the known ones of tests/sanitize/ubsan_known.txt. ASan stops at its first
# report, as always.
set(PARLEY_SANITIZE_FLAGS -fsanitize=address,undefined
    -fno-omit-frame-pointer)

# Every Parley target but the models: their libtorch translation units take
# 20 s each to compile, so they stay as the main build compiles them (and
# ccache serves them). The models' torch-free sources (Apertium pipelines,
# model and speech actors, registry, checkpoint reading, text) are
# instrumented one file at a time below.
foreach(target parley_messages parley_actors parley_server parley_io parley_tool_support
               parleyd parley)
  target_compile_options(${target} PRIVATE ${PARLEY_SANITIZE_FLAGS})
endforeach()
foreach(target parleyd parley)
  target_link_options(${target} PRIVATE ${PARLEY_SANITIZE_FLAGS})
endforeach()

get_target_property(model_sources parley_models SOURCES)
set(models_dir ${PROJECT_SOURCE_DIR}/models)
foreach(source IN LISTS model_sources)
  if(NOT IS_ABSOLUTE ${source})
    set(source ${models_dir}/${source})
  endif()
  # The files that include libtorch (nllb/, whisper/, transformer/ and the
  # tensor helpers); see `ninja -t deps` in the main build.
  if(source MATCHES "/models/(nllb|whisper|transformer)/"
     OR source MATCHES "/models/(torch_tensors|backends/nllb)\\.cpp$")
    continue()
  endif()
  set_source_files_properties(${source} DIRECTORY ${models_dir}
    PROPERTIES COMPILE_OPTIONS "${PARLEY_SANITIZE_FLAGS}")
endforeach()

# The sanitizers' default options and leak suppressions, compiled into both
# executables so that parleyd started by a test behaves the same.
set(sanitize_defaults ${PROJECT_SOURCE_DIR}/tests/sanitize/sanitizer_defaults.cpp)
target_sources(parleyd PRIVATE ${sanitize_defaults})

if(NOT BUILD_TESTING)
  return()
endif()
find_package(Catch2 REQUIRED)
include(Catch)
set(tests_dir ${PROJECT_SOURCE_DIR}/tests)
file(GLOB_RECURSE san_test_sources CONFIGURE_DEPENDS
     ${tests_dir}/io/*_test.cpp
     ${tests_dir}/actors/*_test.cpp
     ${tests_dir}/messages/*_test.cpp)
# Needs the NLLB tokenizer, hence libsentencepiece under RTLD_DEEPBIND.
list(FILTER san_test_sources EXCLUDE REGEX "/zmq_nllb_test\\.cpp$")
file(GLOB san_test_support CONFIGURE_DEPENDS ${tests_dir}/support/*.cpp)

add_executable(parley_san_tests ${tests_dir}/main.cpp ${san_test_sources}
               ${san_test_support} ${sanitize_defaults})
target_include_directories(parley_san_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(parley_san_tests PRIVATE parley_tool_support
                      Catch2::Catch2)
target_compile_definitions(parley_san_tests PRIVATE
  PARLEY_FIXTURES_DIR="${PARLEY_FIXTURES_DIR}"
  PARLEY_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}"
  PARLEY_TESTS_DIR="${PROJECT_SOURCE_DIR}/tests")
target_compile_options(parley_san_tests PRIVATE ${PARLEY_SANITIZE_FLAGS})
target_link_options(parley_san_tests PRIVATE ${PARLEY_SANITIZE_FLAGS})
add_dependencies(parley_san_tests parleyd)

catch_discover_tests(parley_san_tests
  TEST_PREFIX "sanitize: "
  PROPERTIES LABELS sanitize)
