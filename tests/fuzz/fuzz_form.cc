// Fuzzes what a browser can post to a register form: url-encoded parsing, conversion to the
// register's input, and validation. Must never crash, leak or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/record_codec.h"
#include "base/text.h"
#include "domain/registers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::multimap<std::string, std::string> form;
  for (auto& [k, v] : rampart::ParseFormEncoded(body)) form.emplace(std::move(k), std::move(v));
  for (const auto* spec : rampart::domain::AllRegisters()) {
    const auto input = rampart::app::FormToInput(*spec, form);
    std::vector<rampart::domain::FieldError> errors;
    const auto fields = rampart::domain::ValidateFields(
        *spec, input, rampart::domain::WriteMode::kCreate, nullptr, errors);
    if (errors.empty()) (void)rampart::domain::DiffFields(*spec, nullptr, fields);
  }
  return 0;
}
