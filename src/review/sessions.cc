#include "review/sessions.h"

#include <algorithm>

#include "review/tokens.h"

namespace bescheid::review {

SessionStore::SessionStore(int64_t idle_seconds, size_t max_sessions, Clock now)
    : idle_seconds_(idle_seconds),
      max_sessions_(std::max<size_t>(1, max_sessions)),
      now_(std::move(now)) {}

Result<Session> SessionStore::Create(const std::string& user, Role role) {
  Result<std::string> id = RandomHex(32);
  Result<std::string> csrf = RandomHex(32);
  if (!id.ok()) return id.status();
  if (!csrf.ok()) return csrf.status();
  Session s{*id, *csrf, user, role, now_()};
  std::lock_guard<std::mutex> lock(mu_);
  if (sessions_.size() >= max_sessions_) EvictLocked();
  sessions_[s.id] = s;
  return s;
}

// Drops every expired session; if none was, the least recently used one,
// preferring sessions that are not logged in.
void SessionStore::EvictLocked() {
  const int64_t now = now_();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now - it->second.last_seen > idle_seconds_ ? sessions_.erase(it)
                                                    : std::next(it);
  }
  if (sessions_.size() < max_sessions_) return;
  auto victim = sessions_.begin();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    const bool anonymous = it->second.user.empty();
    const bool victim_anonymous = victim->second.user.empty();
    if ((anonymous && !victim_anonymous) ||
        (anonymous == victim_anonymous &&
         it->second.last_seen < victim->second.last_seen)) {
      victim = it;
    }
  }
  sessions_.erase(victim);
}

std::optional<Session> SessionStore::Touch(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  const int64_t now = now_();
  if (now - it->second.last_seen > idle_seconds_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
}

LoginThrottle::LoginThrottle(Clock now) : now_(std::move(now)) {}

int64_t LoginThrottle::WaitLocked(const std::map<std::string, Count>& counts,
                                  const std::string& key, int free,
                                  int64_t now) const {
  auto it = counts.find(key);
  if (it == counts.end() || it->second.failures < free) return 0;
  const int doublings = std::min(it->second.failures - free, 20);
  const int64_t wait = std::min(kMaxWait, kFirstWait << doublings);
  return std::max<int64_t>(0, it->second.last + wait - now);
}

int64_t LoginThrottle::WaitSeconds(const std::string& user,
                                   const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_();
  ForgetOldLocked(now);
  return std::max(WaitLocked(users_, user, kFreePerUser, now),
                  WaitLocked(addresses_, address, kFreePerAddress, now));
}

void LoginThrottle::RecordFailure(const std::string& user,
                                  const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_();
  for (Count* c : {&users_[user], &addresses_[address]}) {
    ++c->failures;
    c->last = now;
  }
}

void LoginThrottle::RecordSuccess(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  users_.erase(user);
}

void LoginThrottle::ForgetOldLocked(int64_t now) {
  for (auto* counts : {&users_, &addresses_}) {
    for (auto it = counts->begin(); it != counts->end();) {
      it = now - it->second.last > 3600 ? counts->erase(it) : std::next(it);
    }
  }
}

}  // namespace bescheid::review
