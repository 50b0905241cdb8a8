# BESCHEID_SANITIZE: build every target of the project (libraries, tests, the
# bescheid binary) with a sanitizer, compile and link.
#   ""        off (default)
#   address   AddressSanitizer + UndefinedBehaviorSanitizer; any UB report
#             aborts (-fno-sanitize-recover), so a test cannot pass over it
#   thread    ThreadSanitizer
# Third-party libraries (Poco, libxml2, libharu) stay uninstrumented; TSan
# still sees their locking because it intercepts pthreads.
set(BESCHEID_SANITIZE "" CACHE STRING
    "Sanitizer for all targets: empty (off), address (ASan+UBSan) or thread")
set_property(CACHE BESCHEID_SANITIZE PROPERTY STRINGS "" address thread)

if(BESCHEID_SANITIZE STREQUAL "address")
  set(BESCHEID_SANITIZER_FLAGS
      -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
elseif(BESCHEID_SANITIZE STREQUAL "thread")
  set(BESCHEID_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT BESCHEID_SANITIZE STREQUAL "")
  message(FATAL_ERROR
          "BESCHEID_SANITIZE='${BESCHEID_SANITIZE}': use '', address or thread")
endif()

if(BESCHEID_SANITIZER_FLAGS)
  message(STATUS "Sanitizer: ${BESCHEID_SANITIZE} (${BESCHEID_SANITIZER_FLAGS})")
  add_compile_options(${BESCHEID_SANITIZER_FLAGS})
  add_link_options(${BESCHEID_SANITIZER_FLAGS})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 warns "may be used uninitialized" inside libstdc++'s <regex>
    # (std::function in _StateT) only when instrumented; the normal build
    # still reports the warning for our own code.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
