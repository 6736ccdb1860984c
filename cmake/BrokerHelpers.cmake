# Declarative helpers so that each module's CMakeLists.txt is a few lines (see STYLE.md).

set(BROKER_WARNINGS -Wall -Wextra -Wpedantic -Werror)

# broker_add_library(NAME SRCS ... DEPS ... [PRIVATE_DEPS ...])
# A static library whose public headers live in <folder>/include and sources in <folder>/src.
function(broker_add_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${BROKER_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# broker_add_test(NAME SRCS ... DEPS ... [LABELS unit] [ENV VAR=value ...])
# One GoogleTest executable registered with ctest under the given labels (default: unit).
function(broker_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SRCS;DEPS;LABELS;ENV" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${BROKER_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    BROKER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    BROKER_CORPUS_DIR="${BROKER_CORPUS_DIR}")
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
                                          ENVIRONMENT "${ARG_ENV}")
endfunction()

# broker_add_bench(NAME SRCS ... DEPS ...)
# A Google Benchmark executable; not part of ctest (benchmarks are run on purpose, not in CI).
function(broker_add_bench name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${BROKER_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE BROKER_CORPUS_DIR="${BROKER_CORPUS_DIR}")
endfunction()
