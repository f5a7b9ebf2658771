#include "http/api/api_doc.h"

#include <cctype>
#include <utility>

namespace rampart::http {

using Json = nlohmann::json;

ApiDoc Doc(Json operation, Json path_parameters) {
  return {std::move(operation), std::move(path_parameters)};
}

Json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

std::string SchemaName(const domain::RegisterSpec& spec) {
  std::string out;
  bool upper = true;
  for (char c : spec.type) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

Json ErrorResponses(std::initializer_list<int> codes) {
  Json out = Json::object();
  for (int c : codes) {
    out[std::to_string(c)] = {{"$ref", c == 429 ? "#/components/responses/TooManyRequests"
                                                : "#/components/responses/Error"}};
  }
  return out;
}

Json JsonBody(const Json& schema) {
  return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

Json JsonResponse(const std::string& description, const Json& schema) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

Json NoContent(const std::string& description) { return {{"description", description}}; }

Json Merge(Json a, const Json& b) {
  if (a.is_array()) {
    for (const auto& v : b) a.push_back(v);
    return a;
  }
  for (const auto& [k, v] : b.items()) a[k] = v;
  return a;
}

const Json kString = {{"type", "string"}};
const Json kInteger = {{"type", "integer"}};
const Json kBoolean = {{"type", "boolean"}};
const Json kDateTime = {{"type", "string"}, {"format", "date-time"}};
const Json kDate = {{"type", "string"}, {"format", "date"}};

Json Described(Json schema, const std::string& description) {
  schema["description"] = description;
  return schema;
}

Json OrNull(Json schema) {
  schema["type"] = {schema["type"], "null"};
  return schema;
}

Json Object(const Json& properties, const Json& required) {
  return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

Json ObjectOfAll(const Json& properties) {
  Json required = Json::array();
  for (const auto& [name, schema] : properties.items()) required.push_back(name);
  return Object(properties, required);
}

Json ArrayOf(const Json& items) { return {{"type", "array"}, {"items", items}}; }

Json DataOf(const std::string& schema) { return ObjectOfAll({{"data", ArrayOf(Ref(schema))}}); }

Json Extends(const std::string& base, const Json& more) {
  return {{"allOf", Json::array({Ref(base), more})}};
}

const Json kIdParam = {
    {"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}};
const Json kIfMatch = {{"name", "If-Match"},
                       {"in", "header"},
                       {"required", true},
                       {"description", "the record's ETag (its version); 412 when stale"},
                       {"schema", {{"type", "string"}}}};

Json PathParam(const std::string& name, const std::string& description) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"description", description},
          {"schema", {{"type", "integer"}}}};
}

}  // namespace rampart::http
