# Helpers that keep every module's build rules in one shape, in the spirit of
# abseil's absl_cc_library: a module is a static library target named
# bescheid_<NAME> (alias bescheid::<NAME>) whose headers are included as
# "<module>/<header>.h".
#
# The build enforces the dependency arrows: a module does not put src/ on
# the include path, only a folder of its own in the build tree holding one
# link, <module> -> src/<module>. A target therefore sees the headers of
# itself and of the modules it links (DEPS, PRIVATE_DEPS and what they
# export), and an #include of any other module fails to compile.

set(BESCHEID_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

# bescheid_module(NAME name SRCS ... [DEPS public deps] [PRIVATE_DEPS ...])
function(bescheid_module)
  cmake_parse_arguments(M "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target bescheid_${M_NAME})
  add_library(${target} STATIC ${M_SRCS})
  add_library(bescheid::${M_NAME} ALIAS ${target})
  set(include_root ${PROJECT_BINARY_DIR}/module-include/${M_NAME})
  file(MAKE_DIRECTORY ${include_root})
  if(NOT IS_SYMLINK ${include_root}/${M_NAME})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${include_root}/${M_NAME}
         SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${include_root})
  target_link_libraries(${target} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  target_compile_options(${target} PRIVATE ${BESCHEID_WARNINGS})
endfunction()

# bescheid_test(NAME name SRCS ... DEPS ...): a GoogleTest binary registered
# with CTest, one CTest entry per test case, each labelled with the binary's
# name (`ctest -L daemon_test` runs one binary's tests).
function(bescheid_test)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_options(${T_NAME} PRIVATE ${BESCHEID_WARNINGS})
  target_compile_definitions(${T_NAME} PRIVATE
    BESCHEID_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    BESCHEID_BINARY="$<TARGET_FILE:bescheid>")
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "OMP_THREAD_LIMIT=1" LABELS ${T_NAME})
endfunction()
