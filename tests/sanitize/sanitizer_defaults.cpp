// Default options of AddressSanitizer, LeakSanitizer and
// UndefinedBehaviorSanitizer for the sanitized build (PARLEY_SANITIZE=ON),
// linked into parley_san_tests and parleyd. ASAN_OPTIONS, LSAN_OPTIONS and
// UBSAN_OPTIONS in the environment add to these and win over them.

extern "C" {

const char* __asan_default_options() {
  // Leaks are checked at exit; a report fails the process (and the test).
  return "detect_leaks=1:detect_stack_use_after_return=1:"
         "check_initialization_order=1";
}

const char* __ubsan_default_options() {
  // Reports go on (see cmake/ParleySanitize.cmake); tools/sanitize fails on
  // them.
  return "print_stacktrace=1:halt_on_error=0";
}

// Leaks of third-party code, each understood and with its reason, one
// "leak:<function or library>" a line; Parley's own leaks are never
// suppressed here. None has been needed so far.
const char* __lsan_default_suppressions() {
  return "";
}

} // extern "C"
