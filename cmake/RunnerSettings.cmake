# SPDX-License-Identifier: MIT
# runner_settings: language level and definitions every product and test target links privately.
add_library(runner_settings INTERFACE)
target_compile_features(runner_settings INTERFACE cxx_std_17)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
