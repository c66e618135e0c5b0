# SPDX-License-Identifier: MIT
# runner_embed_migrations(TARGET DIR): compiles the .sql files of DIR (and of DIR/callbacks) into TARGET as
# runner_embedded_migrations (runner/embedded.hpp), so that the application needs no sql/ folder at
# run time: MigratorOptions::embedded = &runner_embedded_migrations. The bytes are the files', so
# the checksums are too. A file added to DIR is picked up by the next build.
set(_runner_embed_generator "${CMAKE_CURRENT_LIST_DIR}/RunnerEmbedGenerate.cmake")

# VARIABLE NAME: the set's name instead (declare it with RUNNER_EMBEDDED_MIGRATIONS(NAME)), so that one
# binary holds several sets (one per database it keeps).
function(runner_embed_migrations target dir)
  cmake_parse_arguments(ARG "" "VARIABLE" "" ${ARGN})
  if(NOT ARG_VARIABLE)
    set(ARG_VARIABLE runner_embedded_migrations)
  endif()
  if(NOT ARG_VARIABLE MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "runner_embed_migrations(${target}): VARIABLE ${ARG_VARIABLE} is not a C++ name")
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE)
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "runner_embed_migrations(${target}): ${dir} is not a folder")
  endif()
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*" "${dir}/callbacks/*")
  list(FILTER sql_files INCLUDE REGEX "\\.[sS][qQ][lL]$")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_${ARG_VARIABLE}.cpp")
  # The names too, not only the files' times: a file removed, renamed, or copied in with an old
  # time changes this list (the glob above reconfigures), and the list is a dependency.
  list(SORT sql_files)
  string(REPLACE ";" "\n" names "${sql_files}")
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_${ARG_VARIABLE}.list")
  file(CONFIGURE OUTPUT "${list_file}" CONTENT "${names}\n" @ONLY)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DDIR=${dir}" "-DOUT=${out}" "-DVARIABLE=${ARG_VARIABLE}" -P "${_runner_embed_generator}"
    DEPENDS ${sql_files} "${list_file}" "${_runner_embed_generator}"
    COMMENT "Embedding the migrations of ${dir} into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
