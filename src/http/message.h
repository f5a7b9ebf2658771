// Rampart's own HTTP request and response, as handlers see them. The transport
// (http/transport.h) fills a request from the wire and writes the response back; nothing above it
// sees the HTTP library's types.
//
// Header names compare without regard to case; query parameters and form parts keep their order.
// Values are plain strings: the request's path is percent-decoded, the query's names and values
// are decoded as application/x-www-form-urlencoded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rampart::http {

struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = std::multimap<std::string, std::string>;

// One part of a multipart/form-data body. A part with a file name is an uploaded file.
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  Params params;       // the query's parameters, decoded
  Headers headers;
  std::string body;
  std::string remote_addr;  // the connection's peer address
  // Set by the router: [0] the whole path, [1...] the route pattern's groups.
  std::vector<std::string> matches;
  // Set by the router: the route that answered, as a template ("/api/v1/risks/{id}"); empty when
  // none did. Metrics count requests by it, never by their paths.
  std::string route;
  // The parts of a multipart/form-data body (ParseMultipart), by field name.
  std::multimap<std::string, FormPart> files;

  bool HasHeader(std::string_view name) const;
  // The first value of header `name`; empty when absent.
  std::string Header(std::string_view name) const;
  bool HasParam(std::string_view name) const;
  // The first value of query parameter `name`; empty when absent.
  std::string Param(std::string_view name) const;
  bool IsMultipartFormData() const;
  bool HasFile(std::string_view name) const;
  // The first part named `name`; an empty part when absent.
  FormPart File(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // The body hands out a credential (a one-time password) shown only once: never kept anywhere,
  // not even for an Idempotency-Key's replay.
  bool holds_credential = false;

  bool HasHeader(std::string_view name) const;
  std::string Header(std::string_view name) const;
  // Replaces every value of header `name`.
  void SetHeader(std::string_view name, std::string value);
  void SetContent(std::string content, std::string_view content_type);
  // A redirect to `location` (a path of this site) with an empty body.
  void SetRedirect(std::string_view location, int status = 302);
};

// Fills path and params from target ("/a%20b?x=1&y=2"). kInvalidArgument when the target is not
// an origin-form path (it must start with '/').
Status ParseTarget(HttpRequest& req);

// Parses a multipart/form-data body into req.files. `content_type` is the request's header (it
// names the boundary). At most `max_parts` parts. kInvalidArgument naming what is wrong: no
// boundary, a part without a name, a body that does not end with the closing boundary.
Status ParseMultipart(HttpRequest& req, std::string_view content_type, size_t max_parts = 2000);

}  // namespace rampart::http
