# SPDX-License-Identifier: MIT
# runner_add_dialect(NAME <name> SOURCES ... [LIBRARIES ...] [ALIASES <scheme>...] [OUTPUT_DIR <dir>])
# Builds runner_dialect_<name>.so, a MODULE that exports only runner_dialect_entry, links nothing of
# the host (no Boost or spdlog; its database client library is its own) and fails to link if it
# would leave a symbol undefined. The same function builds the bundled dialects and, installed with
# find_package(runner), a third party's: the plugin lands in OUTPUT_DIR, else
# RUNNER_DIALECT_OUTPUT_DIR, else <build>/dialects (the folder to give runner --plugin-dir), and
# installs into RUNNER_DIALECT_INSTALL_DIR (lib/runner/dialects, where runner looks by itself).
set(_RUNNER_DIALECT_EXPORTS_MAP "${CMAKE_CURRENT_LIST_DIR}/dialect_exports.map")
if(NOT DEFINED RUNNER_DIALECT_INSTALL_DIR)
  set(RUNNER_DIALECT_INSTALL_DIR "lib/runner/dialects")
endif()

function(runner_add_dialect)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_DIR" "SOURCES;LIBRARIES;ALIASES" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_SOURCES)
    message(FATAL_ERROR "runner_add_dialect: NAME and SOURCES are required")
  endif()
  set(target runner_dialect_${ARG_NAME})
  add_library(${target} MODULE ${ARG_SOURCES})
  # runner_settings and runner_warnings exist in runner's own tree only.
  target_link_libraries(${target} PRIVATE runner::dialect_sdk $<TARGET_NAME_IF_EXISTS:runner_settings>
    $<TARGET_NAME_IF_EXISTS:runner_warnings> ${ARG_LIBRARIES})
  set(default_dir "${RUNNER_DIALECT_OUTPUT_DIR}")
  if(NOT default_dir)
    set(default_dir "${CMAKE_BINARY_DIR}/dialects")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${default_dir}")
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
  # A sanitized build leaves the sanitizers' runtime to the executable that loads the plugin.
  if(NOT RUNNER_SANITIZE)
    target_link_options(${target} PRIVATE LINKER:--no-undefined)
  endif()
  target_link_options(${target} PRIVATE LINKER:--exclude-libs,ALL
    "LINKER:--version-script=${_RUNNER_DIALECT_EXPORTS_MAP}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_RUNNER_DIALECT_EXPORTS_MAP}")
  # Each alias (another URL scheme, declared by the plugin too) is a link to the plugin's file, so
  # that the host finds a dialect from the scheme alone, loading nothing else.
  foreach(alias IN LISTS ARG_ALIASES)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E create_symlink "runner_dialect_${ARG_NAME}.so" "${ARG_OUTPUT_DIR}/runner_dialect_${alias}.so"
      VERBATIM)
    if(NOT ARG_OUTPUT_DIR STREQUAL default_dir)
      continue()
    endif()
    set(dest "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${RUNNER_DIALECT_INSTALL_DIR}")
    install(CODE "file(MAKE_DIRECTORY \"${dest}\")
      file(CREATE_LINK runner_dialect_${ARG_NAME}.so \"${dest}/runner_dialect_${alias}.so\" SYMBOLIC)")
  endforeach()
endfunction()
