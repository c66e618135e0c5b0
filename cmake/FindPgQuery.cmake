# SPDX-License-Identifier: MIT
# libpg_query (Debian libpg-query-dev). The static archive is used on purpose: the shared library
# exports PostgreSQL internals (pg_utf_mblen, ...) that collide with libpq's inside the host.
include(FindPackageHandleStandardArgs)
find_path(PgQuery_INCLUDE_DIR NAMES pg_query.h)
find_library(PgQuery_LIBRARY NAMES libpg_query.a pg_query)
mark_as_advanced(PgQuery_INCLUDE_DIR PgQuery_LIBRARY)
find_package_handle_standard_args(PgQuery REQUIRED_VARS PgQuery_LIBRARY PgQuery_INCLUDE_DIR)
if(PgQuery_FOUND AND NOT TARGET PgQuery::PgQuery)
  add_library(PgQuery::PgQuery UNKNOWN IMPORTED)
  set_target_properties(PgQuery::PgQuery PROPERTIES IMPORTED_LOCATION "${PgQuery_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PgQuery_INCLUDE_DIR}")
endif()
