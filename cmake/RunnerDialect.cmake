# SPDX-License-Identifier: MIT
# runner_add_dialect(NAME <name> SOURCES ... [LIBRARIES ...])
# Builds runner_dialect_<name>.so, a MODULE that exports only runner_dialect_entry, links nothing of
# the host (no SOCI, Boost or spdlog) and fails to link if it would leave a symbol undefined.
function(runner_add_dialect)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
  set(target runner_dialect_${ARG_NAME})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE runner_plugin_sdk runner_settings runner_warnings ${ARG_LIBRARIES})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${RUNNER_DIALECT_OUTPUT_DIR}")
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
  target_link_options(${target} PRIVATE LINKER:--no-undefined LINKER:--exclude-libs,ALL
    "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/dialect_exports.map")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${PROJECT_SOURCE_DIR}/cmake/dialect_exports.map")
endfunction()
