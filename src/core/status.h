// Errors as values at module boundaries.
//
// A Status is either OK or carries a code and a message. The message is meant
// for the person who has to act on it: for intake and decision problems it is
// German (clerks read it), for operational problems (I/O, store) it may be
// English and goes to the log. Result<T> holds either a T or a non-OK Status.
// Both are plain values, cheap to move, and safe to pass between threads.
#ifndef BESCHEID_CORE_STATUS_H_
#define BESCHEID_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace bescheid {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the input document is not acceptable (clerk must act)
  kNotFound,      // a file, key or record does not exist
  kIo,            // the file system failed (disk full, permission, ...)
  kStore,         // the journal failed
  kConfig,        // configuration is missing or malformed
  kInternal,      // a bug or an unexpected library failure
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidInput(std::string m) {
  return Status(StatusCode::kInvalidInput, std::move(m));
}
inline Status IoError(std::string m) {
  return Status(StatusCode::kIo, std::move(m));
}
inline Status ConfigError(std::string m) {
  return Status(StatusCode::kConfig, std::move(m));
}
inline Status StoreError(std::string m) {
  return Status(StatusCode::kStore, std::move(m));
}
inline Status InternalError(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}

// Either a value or the reason there is none. Accessing value() of a failed
// Result is a precondition violation (asserted in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace bescheid

#endif  // BESCHEID_CORE_STATUS_H_
