// The station's users: a file of its own (http.users-file), one line per
// user with name, role and a salted slow hash of the password
// (PBKDF2-HMAC-SHA256 through OpenSSL, at least kMinIterations rounds):
//
//   # bescheid station users
//   name:role:pbkdf2-sha256:<iterations>:<salt, hex>:<hash, hex>
//
// The file is written atomically with mode 0600 (owner and group of an
// existing file kept) under an flock of "<path>.lock", so `bescheid user`
// and a running station may share it: the station re-reads it when it
// changes, so a user added, removed or given a new password counts at once.
#ifndef BESCHEID_REVIEW_USERS_H_
#define BESCHEID_REVIEW_USERS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace bescheid::review {

// Sachbearbeitung reviews and corrects cases; Schlusszeichnung also
// releases letters (four eyes: never a case it corrected itself).
enum class Role { kSachbearbeitung, kSchlusszeichnung };

// "sachbearbeitung", "schlusszeichnung" (as in the file and on the command
// line).
std::string RoleName(Role role);
std::optional<Role> ParseRole(const std::string& name);

// The production minimum of PBKDF2 rounds (OWASP 2023 for HMAC-SHA256).
inline constexpr int kMinIterations = 600'000;

struct User {
  std::string name;
  Role role = Role::kSachbearbeitung;
};

// A German reason why `name` cannot be a user name (1 to 64 of
// A-Z a-z 0-9 . _ -, not starting with '.' or '-'), or "" when it can.
std::string UserNameProblem(const std::string& name);
// A German reason why `password` is not acceptable (10 to 1024 bytes), or
// "" when it is.
std::string PasswordProblem(const std::string& password);

// "<iterations>:<salt hex>:<hash hex>" for `password` with a fresh 16-byte
// random salt. kInternal if OpenSSL fails.
Result<std::string> HashPassword(const std::string& password, int iterations);
// Whether `password` matches `hash` (as HashPassword writes it); the hash is
// compared in constant time. False for a malformed hash.
bool VerifyPassword(const std::string& password, const std::string& hash);

// Thread-safe.
class UserStore {
 public:
  // The users in the file at `path`; a missing file means no users yet (it
  // is read as soon as it exists). Fails (kConfig, naming file and line) on
  // a malformed line, or on a hash with fewer than `min_iterations` rounds;
  // tests pass a small `min_iterations`, production keeps kMinIterations.
  static Result<std::unique_ptr<UserStore>> Open(
      const std::string& path, int min_iterations = kMinIterations);

  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // The user `name` if `password` is theirs. Re-reads the file first when
  // it changed (a file that became unreadable or malformed keeps the users
  // last read). Costs one hash whether or not the user exists, so the time
  // does not tell which names exist.
  std::optional<User> Authenticate(const std::string& name,
                                   const std::string& password);
  // The user `name` as the file holds it now (re-read when changed).
  std::optional<User> Find(const std::string& name);
  std::vector<User> List();

  // Changes, each written to the file at once (kInvalidInput with a German
  // reason for a bad name or password, an existing name for Add, an unknown
  // one for the others; kIo when the file cannot be written).
  Status Add(const std::string& name, Role role, const std::string& password,
             int iterations = kMinIterations);
  Status SetPassword(const std::string& name, const std::string& password,
                     int iterations = kMinIterations);
  Status Remove(const std::string& name);

  const std::string& path() const { return path_; }

 private:
  struct Entry {
    User user;
    std::string hash;  // "<iterations>:<salt>:<hash>"
  };
  struct FileStamp {
    bool exists = false;
    int64_t mtime_ns = 0;
    int64_t size = 0;
    ino_t inode = 0;
    bool operator==(const FileStamp& o) const {
      return exists == o.exists && mtime_ns == o.mtime_ns && size == o.size &&
             inode == o.inode;
    }
  };

  UserStore(std::string path, int min_iterations);
  // Re-reads the file when its stamp changed. Requires mu_.
  Status RefreshLocked();
  Status Load(std::vector<Entry>& out, FileStamp& stamp) const;
  // Read, change, write under the file lock.
  template <typename Change>
  Status Modify(Change change);

  const std::string path_;
  const int min_iterations_;
  std::mutex mu_;
  std::vector<Entry> entries_;
  FileStamp stamp_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // hashed against for unknown names (lazily)
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_USERS_H_
