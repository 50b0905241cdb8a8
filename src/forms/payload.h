// What the form's machine-readable codes carry: the whole application in
// the data barcode (payload), and each page's identity in its page code.
//
// Payload, version 1 (docs/forms.md has the byte layout):
//   "BSA" magic, version byte 1, flags byte (bit 0: body is zlib-deflated),
//   body, CRC-32 (IEEE, big-endian) of everything before it.
// The body holds every field of schemas/antrag-1.0.xsd as length-prefixed
// UTF-8 strings and varints. A payload too large for one code is split
// into parts (SplitPayload), one code each, joined again in any order.
//
// Page code: "BF1:<form id>:<version>:<page>/<pages>:<serial>", e.g.
// "BF1:ANTRAG:1.0:2/3:0A1B2C3D" - only characters of QR's alphanumeric
// mode. The serial (8 hex digits) is the same on every page of one filled
// form (the payload's CRC-32; 0 on a blank form), so two applications in one
// scanned file are told apart; page 1 starts a document.
//
// Pure functions; safe to call from any thread.
#ifndef BESCHEID_FORMS_PAYLOAD_H_
#define BESCHEID_FORMS_PAYLOAD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/application.h"
#include "core/status.h"

namespace bescheid::forms {

inline constexpr int kPayloadVersion = 1;

// CRC-32 (IEEE 802.3, as zlib's crc32) of `data`.
uint32_t Crc32(std::string_view data);

// The application as payload bytes. Precondition: `app` is valid per the
// schema (as xml::ApplicationReader returns it).
std::string EncodePayload(const core::Application& app);

// The application back from payload bytes. kInvalidInput with a German
// message when the magic, version, checksum or structure is wrong (counts,
// ranges, dates, UTF-8). The schema's patterns (AGS, IBAN, ...) are not
// checked here: a scanned application is validated like any other.
Result<core::Application> DecodePayload(std::string_view bytes);

// Splits `payload` into `parts` codes' contents (parts >= 1), each with a
// 4-byte header "BQ", part index, part count.
std::vector<std::string> SplitPayload(std::string_view payload, int parts);

// Joins codes' contents made by SplitPayload, in any order. kInvalidInput
// when a part is missing, doubled or not a payload part.
Result<std::string> JoinPayload(const std::vector<std::string>& parts);

struct PageCode {
  std::string form_id;  // [A-Z0-9-]
  std::string version;  // "1.0"
  int page = 1;         // 1-based
  int pages = 1;
  uint32_t serial = 0;  // same on every page of one document
};

std::string EncodePageCode(const PageCode& code);
Result<PageCode> DecodePageCode(std::string_view text);

}  // namespace bescheid::forms

#endif  // BESCHEID_FORMS_PAYLOAD_H_
