#pragma once

// What the neural benchmarks print first: the CPU, its features, what the
// `auto` compute type chose there and which BLAS kernel runs float32.

#include <string>
#include <vector>

namespace parley {

/// Prints the CPU model, its matrix-product features, the compute type
/// `auto` picks and why, and the OpenBLAS core in use.
void print_compute_header();

/// The compute types this CPU runs fast, float32 first; prints a "skipped"
/// line with the reason for each of the others.
std::vector<std::string> fast_compute_types();

} // namespace parley
