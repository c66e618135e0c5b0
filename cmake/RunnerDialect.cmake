# SPDX-License-Identifier: MIT
# runner_add_dialect(NAME <name> SOURCES ... [LIBRARIES ...] [ALIASES <scheme>...])
# Builds runner_dialect_<name>.so, a MODULE that exports only runner_dialect_entry, links nothing of
# the host (no Boost or spdlog; its database client library is its own) and fails to link if it
# would leave a symbol undefined.
function(runner_add_dialect)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_DIR" "SOURCES;LIBRARIES;ALIASES" ${ARGN})
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
  # Each alias (another URL scheme, declared by the plugin too) is a link to the plugin's file, so
  # that the host finds a dialect from the scheme alone, loading nothing else.
  foreach(alias IN LISTS ARG_ALIASES)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E create_symlink "runner_dialect_${ARG_NAME}.so" "${ARG_OUTPUT_DIR}/runner_dialect_${alias}.so"
      VERBATIM)
    if(NOT ARG_OUTPUT_DIR STREQUAL RUNNER_DIALECT_OUTPUT_DIR)
      continue()
    endif()
    set(dest "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${RUNNER_DIALECT_INSTALL_DIR}")
    install(CODE "file(MAKE_DIRECTORY \"${dest}\")
      file(CREATE_LINK runner_dialect_${ARG_NAME}.so \"${dest}/runner_dialect_${alias}.so\" SYMBOLIC)")
  endforeach()
endfunction()
