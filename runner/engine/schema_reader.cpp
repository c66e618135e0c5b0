// SPDX-License-Identifier: MIT
#include "runner/engine/schema_reader.hpp"

#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"

namespace runner {
namespace {

SchemaObject object_from(SchemaRecord&& record) {
  SchemaObject o;
  o.kind = std::move(record.kind);
  for (auto& [key, value] : record.fields) {
    if (key == "name")
      o.name = std::move(value);
    else if (key == "table")
      o.table = std::move(value);
    else if (key == "create")
      o.create.push_back(std::move(value));
    else if (key == "after")
      o.after.push_back(std::move(value));
    else
      o.fields.emplace_back(std::move(key), std::move(value));
  }
  return o;
}

}  // namespace

Schema read_schema(const Dialect& dialect, Connection& connection, const std::string& schema) {
  ConnectionReader reader(connection);
  connection.begin();
  std::vector<SchemaRecord> records;
  try {
    records = dialect.describe_schema(schema, reader);
  } catch (...) {
    connection.rollback();
    throw;
  }
  connection.rollback();
  Schema out;
  out.objects.reserve(records.size());
  for (auto& r : records) {
    SchemaObject o = object_from(std::move(r));
    if (o.kind == "schema") {
      out.name = o.name;
      out.create = o.create;
      out.use = o.values("use");
      out.exists = o.value("exists") != "0";
    } else {
      out.objects.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace runner
