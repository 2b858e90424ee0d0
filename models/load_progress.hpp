#pragma once

#include <functional>
#include <string>

namespace parley {

/// Receives loading progress: the model, a fraction in [0, 1], and what is
/// being loaded. Called from the loading model actor's thread.
using load_progress_listener = std::function<void(
    const std::string& model, double fraction, const std::string& step)>;

/// Replaces the process-wide listener. The default logs a line at each tenth
/// (the server's log); the CLI draws a progress bar instead.
void set_load_progress_listener(load_progress_listener listener);

/// Reports progress to the current listener.
void report_load_progress(const std::string& model, double fraction,
                          const std::string& step);

} // namespace parley
