// Fuzzes what an API client can send as a record: JSON parsing and validation against every
// register, on create and on update of a valid record. Must never crash or throw.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "domain/registers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rampart::domain::Json;
  const Json input = Json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  for (const auto* spec : rampart::domain::AllRegisters()) {
    std::vector<rampart::domain::FieldError> errors;
    const Json created = rampart::domain::ValidateFields(
        *spec, input, rampart::domain::WriteMode::kCreate, nullptr, errors);
    if (!errors.empty()) continue;
    std::vector<rampart::domain::FieldError> update_errors;
    (void)rampart::domain::ValidateFields(*spec, input, rampart::domain::WriteMode::kUpdate,
                                          &created, update_errors);
    (void)rampart::domain::DiffFields(*spec, created, Json());
    (void)created.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return 0;
}
