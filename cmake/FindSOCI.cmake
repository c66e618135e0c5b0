# SPDX-License-Identifier: MIT
# Debian's libsoci-dev ships headers and libraries but no CMake config or pkg-config file.
# Provides SOCI::soci_core and SOCI::soci_<component> for each requested backend.
include(FindPackageHandleStandardArgs)
include(CMakeFindDependencyMacro)

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  # version.h encodes 4.0.3 as 400003.
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_line REGEX "^#define[ \t]+SOCI_VERSION[ \t]+[0-9]+")
  string(REGEX MATCH "[0-9]+$" _soci_num "${_soci_line}")
  math(EXPR _soci_major "${_soci_num} / 100000")
  math(EXPR _soci_minor "${_soci_num} / 100 % 1000")
  math(EXPR _soci_patch "${_soci_num} % 100")
  set(SOCI_VERSION "${_soci_major}.${_soci_minor}.${_soci_patch}")
endif()

foreach(component IN LISTS SOCI_FIND_COMPONENTS)
  find_library(SOCI_${component}_LIBRARY NAMES soci_${component})
  mark_as_advanced(SOCI_${component}_LIBRARY)
  set(SOCI_${component}_FOUND FALSE)
  if(SOCI_${component}_LIBRARY)
    set(SOCI_${component}_FOUND TRUE)
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)

if(SOCI_FOUND)
  find_dependency(Boost 1.74)  # soci.h includes Boost headers (SOCI_HAVE_BOOST is baked in)
  if(NOT TARGET SOCI::soci_core)
    add_library(SOCI::soci_core SHARED IMPORTED)
    set_target_properties(SOCI::soci_core PROPERTIES
      IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "Boost::headers;${CMAKE_DL_LIBS}")
  endif()
  foreach(component IN LISTS SOCI_FIND_COMPONENTS)
    if(SOCI_${component}_FOUND AND NOT TARGET SOCI::soci_${component})
      set(_soci_deps SOCI::soci_core)
      if(component STREQUAL "sqlite3")
        list(APPEND _soci_deps SQLite::SQLite3)
      elseif(component STREQUAL "postgresql")
        list(APPEND _soci_deps PostgreSQL::PostgreSQL)  # soci-postgresql.h includes libpq-fe.h
      elseif(component STREQUAL "mysql")
        # soci-mysql.h includes <mysql.h>: Debian's libmariadb-dev keeps it in include/mariadb.
        find_path(SOCI_MARIADB_INCLUDE_DIR NAMES mysql.h PATH_SUFFIXES mariadb mysql)
        find_library(SOCI_MARIADB_LIBRARY NAMES mariadb mysqlclient)
        mark_as_advanced(SOCI_MARIADB_INCLUDE_DIR SOCI_MARIADB_LIBRARY)
        if(NOT SOCI_MARIADB_INCLUDE_DIR OR NOT SOCI_MARIADB_LIBRARY)
          message(FATAL_ERROR "SOCI's mysql backend needs the MariaDB client library: install libmariadb-dev")
        endif()
        list(APPEND _soci_deps "${SOCI_MARIADB_LIBRARY}")
      endif()
      add_library(SOCI::soci_${component} SHARED IMPORTED)
      set_target_properties(SOCI::soci_${component} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${component}_LIBRARY}"
        INTERFACE_LINK_LIBRARIES "${_soci_deps}")
      if(component STREQUAL "mysql")
        set_target_properties(SOCI::soci_mysql PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${SOCI_MARIADB_INCLUDE_DIR}")
      endif()
    endif()
  endforeach()
endif()
