// Status codes to HTTP: the one mapping, and the API's error body
// {"error": {"code": "invalid_argument", "message": "...", "field": "title"}}.
#pragma once

#include <httplib.h>

#include "base/status.h"

namespace rampart::http {

int HttpStatusFor(Code code);
void WriteJsonError(httplib::Response& res, const Status& status);

}  // namespace rampart::http
