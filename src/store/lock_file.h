// An exclusive advisory lock on a file, held for the lifetime of its owner.
// Internal to the store: the SQLite journal uses it to keep a second
// bescheid process off its database.
#ifndef BESCHEID_STORE_LOCK_FILE_H_
#define BESCHEID_STORE_LOCK_FILE_H_

#include <string>

#include "core/status.h"

namespace bescheid::store {

class LockFile {
 public:
  // Opens (creating, mode 0644) `path` and takes an exclusive, non-blocking
  // flock on it, then writes this process's PID into it. Fails with kStore
  // if another open file holds the lock; the message names the holder as
  // `what` "is in use by another bescheid process (pid N)", or "is already
  // open in this process" when the holder is this process (flock locks
  // belong to the open file, so one process conflicts with itself). Never
  // blocks. A PID that cannot be written does not fail the call: the lock
  // is what protects the data.
  static Result<LockFile> Acquire(const std::string& path,
                                  const std::string& what);

  LockFile(LockFile&& other) noexcept;
  LockFile& operator=(LockFile&& other) noexcept;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  // Releases the lock. The file stays, so that no second process can lock
  // a fresh file while a third still holds the old one.
  ~LockFile();

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace bescheid::store

#endif  // BESCHEID_STORE_LOCK_FILE_H_
