# BESCHEID_FUZZ: the libFuzzer targets in tests/fuzz (see tests/fuzz/run.sh).
# Off by default; clang only. Every library is compiled with coverage
# instrumentation (-fsanitize=fuzzer-no-link) so libFuzzer can steer into it;
# only the fuzz targets link libFuzzer's main.
option(BESCHEID_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)"
       OFF)
if(BESCHEID_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BESCHEID_FUZZ needs clang (CC=clang CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
