// Small helpers over OpenSSL for the station's secrets: hex coding, random
// tokens (session ids, CSRF tokens) and constant-time comparison.
// Thread-safe. Internal to the review module.
#ifndef BESCHEID_REVIEW_TOKENS_H_
#define BESCHEID_REVIEW_TOKENS_H_

#include <optional>
#include <string>

#include "core/status.h"

namespace bescheid::review {

// Lower-case hex of `bytes`.
std::string ToHex(const std::string& bytes);
// The bytes of an even-length hex text (either case); nullopt otherwise.
std::optional<std::string> FromHex(const std::string& hex);

// `bytes` random bytes from OpenSSL's CSPRNG, as hex (2 * bytes
// characters). kInternal if the generator fails.
Result<std::string> RandomHex(size_t bytes);

// Whether a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_TOKENS_H_
