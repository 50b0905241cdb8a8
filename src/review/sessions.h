// Sessions and login throttling of the station (internal to the module).
// Both take a clock (seconds, steady) so tests can move time. Thread-safe.
#ifndef BESCHEID_REVIEW_SESSIONS_H_
#define BESCHEID_REVIEW_SESSIONS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "review/users.h"

namespace bescheid::review {

using Clock = std::function<int64_t()>;

struct Session {
  std::string id;    // 64 hex digits from OpenSSL's CSPRNG
  std::string csrf;  // 64 hex digits, sent back with every POST
  std::string user;  // empty: not logged in yet (the login form's session)
  Role role = Role::kSachbearbeitung;
  int64_t last_seen = 0;
};

class SessionStore {
 public:
  // Sessions end `idle_seconds` after their last request; at most
  // `max_sessions` live at once (the least recently used goes first).
  SessionStore(int64_t idle_seconds, size_t max_sessions, Clock now);

  // A new session with fresh id and CSRF token; `user` empty for one that
  // is not logged in. kInternal if the random generator fails.
  Result<Session> Create(const std::string& user, Role role);
  // The live session `id`, its idle time restarted; nullopt when unknown
  // or idle too long (then it is removed).
  std::optional<Session> Touch(const std::string& id);
  void Remove(const std::string& id);

 private:
  void EvictLocked();

  const int64_t idle_seconds_;
  const size_t max_sessions_;
  const Clock now_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
};

// Failed logins per user name and per client address: a few tries are
// free, then each further failure doubles the wait before the next try
// (5 s, 10 s, 20 s ... at most 15 minutes). A success clears the name's
// count; counts are forgotten an hour after their last failure.
class LoginThrottle {
 public:
  static constexpr int kFreePerUser = 3;
  static constexpr int kFreePerAddress = 10;
  static constexpr int64_t kFirstWait = 5;
  static constexpr int64_t kMaxWait = 15 * 60;

  explicit LoginThrottle(Clock now);

  // Seconds until a login as `user` from `address` may be tried; 0: now.
  int64_t WaitSeconds(const std::string& user, const std::string& address);
  void RecordFailure(const std::string& user, const std::string& address);
  void RecordSuccess(const std::string& user);

 private:
  struct Count {
    int failures = 0;
    int64_t last = 0;
  };
  int64_t WaitLocked(const std::map<std::string, Count>& counts,
                     const std::string& key, int free, int64_t now) const;
  void ForgetOldLocked(int64_t now);

  const Clock now_;
  std::mutex mu_;
  std::map<std::string, Count> users_;
  std::map<std::string, Count> addresses_;
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_SESSIONS_H_
