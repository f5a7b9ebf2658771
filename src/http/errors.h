// Status codes to HTTP: the one mapping, and the API's error body
// {"error": {"code": "invalid_argument", "message": "...", "field": "title"}}.
#pragma once

#include "http/message.h"

#include "base/status.h"

namespace rampart::http {

int HttpStatusFor(Code code);
void WriteJsonError(HttpResponse& res, const Status& status);
// A small page for an error of the web UI (a refused request, an unknown address): the status,
// the message (escaped) and a way back.
void WriteHtmlError(HttpResponse& res, int http_status, const Status& status);

}  // namespace rampart::http
