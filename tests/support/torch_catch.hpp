#pragma once

// Include this instead of <catch2/catch.hpp> in tests that use libtorch:
// libtorch pulls in glog, whose CHECK macro would replace Catch's. Torch
// comes first, glog's CHECK goes, then Catch defines its own.

#include <ATen/ATen.h>
#undef CHECK
#include <catch2/catch.hpp>
