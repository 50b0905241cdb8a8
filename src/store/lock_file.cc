#include "store/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace bescheid::store {
namespace {

std::string ErrnoText(int err) { return std::strerror(err); }

// The PID recorded in the lock file, or 0 if there is none (yet).
long ReadPid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  char* end = nullptr;
  const long pid = std::strtol(buf, &end, 10);
  return end != buf && pid > 0 ? pid : 0;
}

Status HeldBy(const std::string& what, long pid) {
  if (pid == static_cast<long>(::getpid())) {
    return StoreError(what + " is already open in this process (pid " +
                      std::to_string(pid) + ")");
  }
  return StoreError(what + " is in use by another bescheid process (pid " +
                    (pid > 0 ? std::to_string(pid) : std::string("unknown")) +
                    ")");
}

// Best effort, see Acquire.
void WritePid(int fd) {
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0) return;
  const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  (void)written;
}

}  // namespace

Result<LockFile> LockFile::Acquire(const std::string& path,
                                   const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return StoreError("cannot open lock file '" + path +
                      "': " + ErrnoText(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const long holder = ReadPid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) return HeldBy(what, holder);
    return StoreError("cannot lock '" + path + "': " + ErrnoText(err));
  }
  WritePid(fd);
  return LockFile(fd);
}

LockFile::LockFile(LockFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

LockFile& LockFile::operator=(LockFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace bescheid::store
