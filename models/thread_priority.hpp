#pragma once

namespace parley {

/// Lowers the scheduling priority of the calling thread to `nice` (0-19;
/// 0 leaves it). Model actors call it on their own thread, so a model
/// configured with `nice` (speech, by default) yields the CPU to text
/// translation when both are busy. 19 also selects SCHED_IDLE: the thread
/// runs only on otherwise idle cores. Returns false when the system refused.
bool lower_thread_priority(int nice);

} // namespace parley
