#include "http/message.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace rampart::http {

namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsNoCase(s.substr(0, prefix.size()), prefix);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of a path: '+' stays a plus sign (only forms encode spaces as '+').
std::string DecodePath(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

template <class Map>
auto FindFirst(const Map& m, std::string_view key) {
  return m.find(std::string(key));
}

// The value of parameter `name` in a header such as
// `form-data; name="file"; filename="a.pdf"` or `multipart/form-data; boundary=xyz`.
std::string HeaderParam(std::string_view header, std::string_view name) {
  size_t pos = header.find(';');
  while (pos != std::string_view::npos) {
    ++pos;
    size_t end = pos;
    bool quoted = false;
    while (end < header.size() && (quoted || header[end] != ';')) {
      if (header[end] == '"') quoted = !quoted;
      ++end;
    }
    const std::string_view part = Trim(header.substr(pos, end - pos));
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && EqualsNoCase(Trim(part.substr(0, eq)), name)) {
      std::string_view v = Trim(part.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    pos = end < header.size() ? end : std::string_view::npos;
  }
  return {};
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

bool HttpRequest::HasHeader(std::string_view name) const {
  return headers.find(name) != headers.end();
}

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool HttpRequest::HasParam(std::string_view name) const {
  return FindFirst(params, name) != params.end();
}

std::string HttpRequest::Param(std::string_view name) const {
  auto it = FindFirst(params, name);
  return it == params.end() ? std::string() : it->second;
}

bool HttpRequest::IsMultipartFormData() const {
  return StartsWithNoCase(Header("Content-Type"), "multipart/form-data");
}

bool HttpRequest::HasFile(std::string_view name) const {
  return FindFirst(files, name) != files.end();
}

FormPart HttpRequest::File(std::string_view name) const {
  auto it = FindFirst(files, name);
  return it == files.end() ? FormPart{} : it->second;
}

bool HttpResponse::HasHeader(std::string_view name) const {
  return headers.find(name) != headers.end();
}

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

void HttpResponse::SetHeader(std::string_view name, std::string value) {
  auto [first, last] = headers.equal_range(name);
  headers.erase(first, last);
  headers.emplace(std::string(name), std::move(value));
}

void HttpResponse::SetContent(std::string content, std::string_view content_type) {
  body = std::move(content);
  SetHeader("Content-Type", std::string(content_type));
}

void HttpResponse::SetRedirect(std::string_view location, int redirect_status) {
  status = redirect_status;
  body.clear();
  SetHeader("Location", std::string(location));
}

Status ParseTarget(HttpRequest& req) {
  const std::string_view target = req.target;
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("the request target must be a path starting with /");
  }
  const size_t q = target.find('?');
  req.path = DecodePath(target.substr(0, q));
  req.params.clear();
  if (q != std::string_view::npos) {
    for (auto& [k, v] : ParseFormEncoded(target.substr(q + 1))) {
      req.params.emplace(std::move(k), std::move(v));
    }
  }
  return Status::Ok();
}

Status ParseMultipart(HttpRequest& req, std::string_view content_type, size_t max_parts) {
  req.files.clear();
  const std::string boundary = HeaderParam(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) {
    return InvalidArgument("a multipart/form-data body needs a boundary in its Content-Type",
                           "Content-Type");
  }
  const std::string_view body = req.body;
  const std::string delimiter = "--" + boundary;
  const std::string separator = "\r\n" + delimiter;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) {
    return InvalidArgument("the multipart body does not contain its boundary");
  }
  pos += delimiter.size();
  size_t parts = 0;
  for (;;) {
    if (body.substr(pos, 2) == "--") return Status::Ok();  // the closing boundary
    if (body.substr(pos, 2) != "\r\n") {
      return InvalidArgument("the multipart body has a malformed boundary line");
    }
    pos += 2;
    const size_t head_end = body.find("\r\n\r\n", pos);
    const size_t next = head_end == std::string_view::npos ? std::string_view::npos
                                                           : body.find(separator, head_end + 4);
    if (next == std::string_view::npos) {
      return InvalidArgument("the multipart body ends before its closing boundary");
    }
    if (++parts > max_parts) {
      return InvalidArgument("the multipart body has more than " + std::to_string(max_parts) +
                             " parts");
    }
    FormPart part;
    size_t line_start = pos;
    while (line_start < head_end) {
      size_t line_end = body.find("\r\n", line_start);
      if (line_end == std::string_view::npos || line_end > head_end) line_end = head_end;
      const std::string_view line = body.substr(line_start, line_end - line_start);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string_view name = Trim(line.substr(0, colon));
        const std::string_view value = Trim(line.substr(colon + 1));
        if (EqualsNoCase(name, "Content-Disposition")) {
          part.name = HeaderParam(value, "name");
          part.filename = HeaderParam(value, "filename");
        } else if (EqualsNoCase(name, "Content-Type")) {
          part.content_type = std::string(value);
        }
      }
      line_start = line_end + 2;
    }
    if (part.name.empty()) {
      return InvalidArgument("a part of the multipart body has no name");
    }
    part.content = std::string(body.substr(head_end + 4, next - head_end - 4));
    std::string name = part.name;
    req.files.emplace(std::move(name), std::move(part));
    pos = next + separator.size();
  }
}

}  // namespace rampart::http
