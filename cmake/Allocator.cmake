# The programs that decide letters and read scans allocate through tcmalloc
# (gperftools' minimal build, Debian's libgoogle-perftools-dev) instead of
# glibc's malloc. Measured on 2 cores (bench/analysis.md): the scan reader
# needs about a quarter less CPU per page (glibc gave a page's large image
# buffers back to the kernel and faulted them in again for the next), a
# letter about 8 % less user time; peak RSS grows by 7-10 MB.
# Not with a sanitizer, which brings its own allocator.
option(BESCHEID_TCMALLOC "Link bescheid and the benchmarks with tcmalloc" ON)

if(BESCHEID_TCMALLOC AND BESCHEID_SANITIZE STREQUAL "")
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
endif()

# bescheid_use_tcmalloc(TARGET): links executable TARGET with tcmalloc when
# BESCHEID_TCMALLOC is on and no sanitizer is. --no-as-needed: nothing
# calls tcmalloc by name; it replaces malloc by being loaded.
function(bescheid_use_tcmalloc target)
  if(TARGET PkgConfig::TCMALLOC)
    target_link_libraries(${target} PRIVATE
      -Wl,--push-state,--no-as-needed PkgConfig::TCMALLOC -Wl,--pop-state)
  endif()
endfunction()
