// Static assets compiled into the binary (web/static), served with a strong ETag.
#include "base/crypto.h"
#include "base/embedded.h"
#include "http/web/web.h"

namespace rampart {
extern const EmbeddedFile kWebAssets[];
}

namespace rampart::http {

namespace {
std::string ContentType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}
}  // namespace

void AddStaticRoutes(Router& router) {
  router.Unguarded("GET", R"(/static/([a-z0-9_.-]+))", [](HttpRequest& req, HttpResponse& res) {
    const EmbeddedFile* f = FindEmbedded(kWebAssets, "static/" + std::string(req.matches[1]));
    if (f == nullptr) {
      res.status = 404;
      return;
    }
    static std::map<std::string, std::string> etags;  // filled once per file, read-only after
    static std::mutex mu;
    std::string etag;
    {
      std::lock_guard lock(mu);
      auto& e = etags[std::string(f->path)];
      if (e.empty()) e = "\"" + Sha256Hex(f->data).substr(0, 16) + "\"";
      etag = e;
    }
    res.SetHeader("Cache-Control", "public, max-age=300, must-revalidate");
    res.SetHeader("ETag", etag);
    if (req.Header("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.SetContent(std::string(f->data), ContentType(f->path));
  });
}

}  // namespace rampart::http
