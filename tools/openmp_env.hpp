#pragma once

namespace parley {

/// Makes idle OpenMP threads sleep instead of spin. libgomp reads
/// OMP_WAIT_POLICY once, when it is loaded, before main() runs; by default
/// its idle threads spin and take the cores that OpenBLAS's threads need,
/// which made NLLB decoding up to 2.3 times slower on this 2-core machine.
/// When the variable is unset, this sets it to PASSIVE and runs the program
/// again with the same arguments; an explicit setting is left alone.
void ensure_passive_openmp(char** argv);

} // namespace parley
