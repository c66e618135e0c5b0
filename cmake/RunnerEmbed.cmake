# SPDX-License-Identifier: MIT
# runner_embed_migrations(TARGET DIR): compiles the .sql files of DIR (and of DIR/callbacks) into TARGET as
# runner_embedded_migrations (runner/embedded.hpp), so that the application needs no sql/ folder at
# run time: MigratorOptions::embedded = &runner_embedded_migrations. The bytes are the files', so
# the checksums are too. A file added to DIR is picked up by the next build.
set(_runner_embed_generator "${CMAKE_CURRENT_LIST_DIR}/RunnerEmbedGenerate.cmake")

function(runner_embed_migrations target dir)
  get_filename_component(dir "${dir}" ABSOLUTE)
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "runner_embed_migrations(${target}): ${dir} is not a folder")
  endif()
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql" "${dir}/callbacks/*.sql")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_runner_migrations.cpp")
  # The names too, not only the files' times: a file removed, renamed, or copied in with an old
  # time changes this list (the glob above reconfigures), and the list is a dependency.
  list(SORT sql_files)
  string(REPLACE ";" "\n" names "${sql_files}")
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_runner_migrations.list")
  file(CONFIGURE OUTPUT "${list_file}" CONTENT "${names}\n" @ONLY)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DDIR=${dir}" "-DOUT=${out}" -P "${_runner_embed_generator}"
    DEPENDS ${sql_files} "${list_file}" "${_runner_embed_generator}"
    COMMENT "Embedding the migrations of ${dir} into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
